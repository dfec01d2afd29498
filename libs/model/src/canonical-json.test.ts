import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonBytes } from './canonical-json';

describe('canonical JSON bytes (#12.1)', () => {
  it('sorts keys at every level, drops undefined, writes no whitespace, encodes UTF-8', () => {
    const bytes = canonicalJsonBytes({ z: 1, a: { y: [2, { b: 'é', a: undefined }], x: null } });
    expect(Buffer.from(bytes).toString('utf8')).toBe('{"a":{"x":null,"y":[2,{"b":"é"}]},"z":1}');
    expect(bytes.length).toBe(41); // é is two bytes
  });

  it('is the same for the same content whatever the insertion order', () => {
    expect(canonicalJsonBytes({ b: 1, a: 2 })).toEqual(canonicalJsonBytes({ a: 2, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('refuses numbers JSON would turn into null, naming where they are', () => {
    expect(() => canonicalJsonBytes({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(
      'expected a finite number at $.a[1], found Infinity',
    );
  });
});
