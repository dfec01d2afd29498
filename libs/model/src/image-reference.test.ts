import { describe, expect, it } from 'vitest';
import { parseImageReference } from './image-reference';
import { parsePinnedImage } from './release';

const digest = 'sha256:' + 'ab'.repeat(32);

// #11 item 16: image references follow the OCI reference grammar of distribution/reference.
describe('parseImageReference (#11.16)', () => {
  it('splits registry, repository, tag and digest', () => {
    expect(parseImageReference(`123.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.2@${digest}`)).toEqual({
      ok: true,
      value: {
        registry: '123.dkr.ecr.eu-west-1.amazonaws.com',
        repository: '123.dkr.ecr.eu-west-1.amazonaws.com/team/api',
        tag: '1.2',
        digest,
        reference: `123.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.2@${digest}`,
      },
    });
    expect(parseImageReference(`localhost:5000/api@${digest}`)).toMatchObject({
      ok: true,
      value: { registry: 'localhost:5000', repository: 'localhost:5000/api', digest },
    });
    expect(parseImageReference('nginx')).toEqual({ ok: true, value: { repository: 'nginx', reference: 'nginx' } });
    expect(parseImageReference(`[::1]:5000/a__b/c-d.e@${digest}`)).toMatchObject({
      ok: true,
      value: { registry: '[::1]:5000', repository: '[::1]:5000/a__b/c-d.e' },
    });
  });

  it('refuses what the grammar does not allow, saying which part', () => {
    const cases: [string, RegExp][] = [
      [`Registry.example/API@${digest}`, /path.*found "API"/],
      [`registry.example/api:-bad@${digest}`, /tag.*found "-bad"/],
      [`registry.example/api:${'t'.repeat(129)}`, /tag/],
      ['registry.example/api@sha256:ABC', /64 lower-case hex/],
      [`registry.example//api@${digest}`, /path.*found ""/],
      [`registry.example/api_@${digest}`, /found "api_"/],
      [`-registry.example/api@${digest}`, /registry host\[:port\], found "-registry.example"/],
      [`registry.example/a\nb@${digest}`, /found "a\nb"/],
      [`@${digest}`, /repository name before/],
      [`r.example/${'a'.repeat(256)}@${digest}`, /at most 255 characters/],
    ];
    for (const [reference, message] of cases) {
      const parsed = parseImageReference(reference);
      expect(parsed.ok, reference).toBe(false);
      if (!parsed.ok) expect(parsed.error, reference).toMatch(message);
    }
  });

  it('is the parser release create uses: a grammar error is IMAGE_INVALID, a missing digest IMAGE_NOT_PINNED', () => {
    expect(() => parsePinnedImage(`Registry.example/API@${digest}`)).toThrow(
      expect.objectContaining({ code: 'IMAGE_INVALID' }),
    );
    expect(() => parsePinnedImage('registry.example/api:1.2')).toThrow(
      expect.objectContaining({ code: 'IMAGE_NOT_PINNED' }),
    );
  });
});
