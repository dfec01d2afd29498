import { describe, expect, it } from 'vitest';
import { RELEASE_CHECK, servesRelease } from './release-check';

const answer = (url: string, headers: Record<string, string>, body: string | null = '{}') => ({ url, headers, body });

describe('servesRelease', () => {
  it('is named as the production policy requires', () => {
    expect(RELEASE_CHECK).toBe('serves the release under test');
  });

  it('accepts the release header in any letter case (k6 canonicalises it to X-Release-Id)', () => {
    expect(servesRelease(answer('http://s/health', { 'X-Release-Id': 'rel-2' }), 'rel-2')).toBe(true);
    expect(servesRelease(answer('http://s/health', { 'x-release-id': 'rel-2' }), 'rel-2')).toBe(true);
  });

  it('refuses an answer from another release or without the header', () => {
    expect(servesRelease(answer('http://s/health', { 'X-Release-Id': 'rel-1' }), 'rel-2')).toBe(false);
    expect(servesRelease(answer('http://s/health', {}), 'rel-2')).toBe(false);
  });

  it('on /release also requires the JSON body to name the release', () => {
    const headers = { 'X-Release-Id': 'rel-2' };
    expect(
      servesRelease(answer('http://s/release', headers, '{"service":"sample-service","release":"rel-2"}'), 'rel-2'),
    ).toBe(true);
    expect(
      servesRelease(answer('http://s/release', headers, '{"service":"sample-service","release":"rel-1"}'), 'rel-2'),
    ).toBe(false);
    expect(servesRelease(answer('http://s/release', headers, 'not json'), 'rel-2')).toBe(false);
    expect(servesRelease(answer('http://s/release', headers, null), 'rel-2')).toBe(false);
  });
});
