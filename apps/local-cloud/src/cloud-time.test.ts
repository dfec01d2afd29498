import { describe, expect, it } from 'vitest';
import { abortableSleep, createCloudTime } from './cloud-time';

describe('createCloudTime', () => {
  it('runs CodeDeploy waits N times faster, and tells the real time (#11.25)', () => {
    let real = 1_000_000;
    const time = createCloudTime(60, () => real);
    expect(time.scaled(60_000)).toBe(1_000);
    expect(time.now().getTime()).toBe(1_000_000);
    real += 1_000;
    expect(time.now().getTime()).toBe(1_001_000);
  });

  it('refuses a scale below 1', () => {
    expect(() => createCloudTime(0.5)).toThrow(/timeScale must be >= 1/);
  });

  it('sleeps abortably', async () => {
    const controller = new AbortController();
    const sleeping = createCloudTime(1000).sleep(3_600_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toThrow();
    await expect(abortableSleep(1)).resolves.toBeUndefined();
  });
});
