// #11 item 23: the CBOR codec behind Smithy RPC v2 CBOR, on the examples of RFC 8949 Appendix A.
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor } from './cbor';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

describe('CBOR (RFC 8949 Appendix A)', () => {
  it('decodes the RFC examples, definite and indefinite lengths', () => {
    const cases: [string, unknown][] = [
      ['00', 0],
      ['17', 23],
      ['1818', 24],
      ['1903e8', 1000],
      ['1a000f4240', 1000000],
      ['1b000000e8d4a51000', 1000000000000],
      ['20', -1],
      ['3903e7', -1000],
      ['f93c00', 1],
      ['f97bff', 65504],
      ['f90001', 5.960464477539063e-8],
      ['fa47c35000', 100000],
      ['fb3ff199999999999a', 1.1],
      ['f4', false],
      ['f5', true],
      ['f6', null],
      ['6449455446', 'IETF'],
      ['62c3bc', 'ü'],
      ['8301820203820405', [1, [2, 3], [4, 5]]],
      ['a26161016162820203', { a: 1, b: [2, 3] }],
      ['7f657374726561646d696e67ff', 'streaming'],
      ['9fff', []],
      ['9f018202039f0405ffff', [1, [2, 3], [4, 5]]],
      ['bf61610161629f0203ffff', { a: 1, b: [2, 3] }],
      ['c11a514b67b0', new Date(1363896240_000)],
      ['c1fb41d452d9ec200000', new Date(1363896240_500)],
    ];
    for (const [bytes, value] of cases) expect(decodeCbor(hex(bytes)), bytes).toEqual(value);
    expect(Buffer.from(decodeCbor(hex('5f42010243030405ff')) as Uint8Array).toString('hex')).toBe('0102030405');
  });

  it('encodes with the shortest heads, doubles for fractions, tag 1 for dates, and leaves undefined members out', () => {
    const cases: [unknown, string][] = [
      [0, '00'],
      [24, '1818'],
      [1000000, '1a000f4240'],
      [1000000000000, '1b000000e8d4a51000'],
      [-1000, '3903e7'],
      [1.1, 'fb3ff199999999999a'],
      ['IETF', '6449455446'],
      [[1, [2, 3], [4, 5]], '8301820203820405'],
      [{ a: 1, b: [2, 3], c: undefined }, 'a26161016162820203'],
      [new Date(1363896240_000), 'c11a514b67b0'],
      [new Date(1363896240_500), 'c1fb41d452d9ec200000'],
      [null, 'f6'],
      [true, 'f5'],
    ];
    for (const [value, bytes] of cases) expect(encodeCbor(value).toString('hex'), bytes).toBe(bytes);
  });

  it('refuses truncated input, trailing bytes, non-text map keys and a stray break as SerializationException', () => {
    for (const bytes of ['1903', '6449', '0000', 'a10101', 'ff', '9f01'])
      expect(() => decodeCbor(hex(bytes)), bytes).toThrow(expect.objectContaining({ code: 'SerializationException' }));
  });

  it('keeps a "__proto__" key as an own member', () => {
    const decoded = decodeCbor(encodeCbor(JSON.parse('{"__proto__": {"polluted": true}}'))) as Record<string, unknown>;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
