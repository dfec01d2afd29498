import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[{"e":2,"f":1}]},"b":1}');
  });

  it('keeps an own __proto__ key, so that two different records never hash alike (#11.13)', () => {
    const parsed = JSON.parse('{"__proto__": {"approved": true}, "id": 1}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"approved":true},"id":1}');
    expect(contentHash(parsed)).not.toBe(contentHash({ id: 1 }));
  });
});
