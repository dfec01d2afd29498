import { describe, expect, it } from 'vitest';
import { makeRelease, parsePinnedImage } from './release';

const digest = 'sha256:' + 'ab'.repeat(32);

describe('releases', () => {
  it('parses a reference pinned by digest, with or without a tag', () => {
    expect(parsePinnedImage(`123.dkr.ecr.eu-west-1.amazonaws.com/api:1.2@${digest}`)).toMatchObject({
      repository: '123.dkr.ecr.eu-west-1.amazonaws.com/api',
      tag: '1.2',
      digest,
    });
    expect(parsePinnedImage(`localhost:5000/api@${digest}`)).toMatchObject({
      repository: 'localhost:5000/api',
      digest,
    });
  });

  it('refuses a reference without a digest, or with a short one', () => {
    expect(() => parsePinnedImage('registry.example/api:latest')).toThrowError(/pinned by digest/);
    expect(() => parsePinnedImage('registry.example/api@sha256:abc')).toThrowError(/64 lower-case hex/);
    try {
      parsePinnedImage('api:latest');
    } catch (e) {
      expect((e as { code: string }).code).toBe('IMAGE_NOT_PINNED');
    }
  });

  it('derives the id from the content, not from who or when', () => {
    const a = makeRelease({
      service: 'api',
      image: `r.example/api@${digest}`,
      gitSha: 'abcdef1',
      createdBy: 'ann',
      createdAt: new Date('2026-01-01'),
    });
    const b = makeRelease({
      service: 'api',
      image: `r.example/api@${digest}`,
      gitSha: 'abcdef1',
      createdBy: 'bob',
      createdAt: new Date('2026-02-01'),
    });
    const c = makeRelease({
      service: 'api',
      image: `r.example/api@${digest}`,
      gitSha: 'abcdef2',
      createdBy: 'ann',
      createdAt: new Date('2026-01-01'),
    });
    expect(a.id).toMatch(/^rel-[0-9a-f]{16}$/);
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
  });
});
