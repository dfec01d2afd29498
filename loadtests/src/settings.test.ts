import { describe, expect, it } from 'vitest';
import { parseDuration, readStressSettings, stressStages } from './settings';

describe('parseDuration', () => {
  it('reads k6 durations in seconds', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('45')).toBe(45);
  });

  it('refuses what it cannot read, naming it', () => {
    expect(() => parseDuration('two minutes')).toThrow('found "two minutes"');
    expect(() => parseDuration('2m junk')).toThrow(/expected a duration/);
  });
});

describe('stressStages', () => {
  it('ramps over a fifth, holds three fifths, ramps down over a fifth', () => {
    expect(stressStages(40, 120)).toEqual([
      { duration: '24s', target: 40 },
      { duration: '72s', target: 40 },
      { duration: '24s', target: 0 },
    ]);
  });

  it('adds up to the requested duration', () => {
    for (const seconds of [60, 61, 90, 299, 600]) {
      const total = stressStages(10, seconds).reduce((sum, s) => sum + parseDuration(s.duration), 0);
      expect(total).toBe(seconds);
    }
  });
});

describe('readStressSettings', () => {
  const base = { BASE_URL: 'http://127.0.0.1:18181/', RELEASE_ID: 'rel-1' };

  it('uses 20 users for 2 minutes on /release and /health by default', () => {
    expect(readStressSettings(base)).toEqual({
      baseUrl: 'http://127.0.0.1:18181',
      releaseId: 'rel-1',
      peakVus: 20,
      durationSeconds: 120,
      paths: ['/release', '/health'],
    });
  });

  it('takes the peak, duration and paths from the environment', () => {
    const settings = readStressSettings({
      ...base,
      PEAK_VUS: '50',
      DURATION: '5m',
      STRESS_PATHS: '/release, /api/products?limit=20',
    });
    expect(settings.peakVus).toBe(50);
    expect(settings.durationSeconds).toBe(300);
    expect(settings.paths).toEqual(['/release', '/api/products?limit=20']);
  });

  it('refuses a missing address or release, and a bad peak or path', () => {
    expect(() => readStressSettings({ RELEASE_ID: 'rel-1' })).toThrow('expected BASE_URL');
    expect(() => readStressSettings({ BASE_URL: 'http://x' })).toThrow('expected RELEASE_ID');
    expect(() => readStressSettings({ ...base, BASE_URL: 'ftp://x' })).toThrow('found "ftp://x"');
    expect(() => readStressSettings({ ...base, PEAK_VUS: '0' })).toThrow('found "0"');
    expect(() => readStressSettings({ ...base, PEAK_VUS: '2.5' })).toThrow('found "2.5"');
    expect(() => readStressSettings({ ...base, STRESS_PATHS: 'release' })).toThrow('found "release"');
  });
});
