import { describe, expect, it } from 'vitest';

// Vite (under vitest) sets its own BASE_URL, so the suite reads shipgate's SHIPGATE_BASE_URL.
const baseUrl = process.env.SHIPGATE_BASE_URL;
const releaseId = process.env.RELEASE_ID;
if (!baseUrl)
  throw new Error(
    'SHIPGATE_BASE_URL is not set: run this suite through `shipgate qa <env> --service sample-service -- …`',
  );

async function get(path: string) {
  const response = await fetch(new URL(path, baseUrl));
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('sample service (black box)', () => {
  it('is healthy', async () => {
    expect((await get('/health')).status).toBe(200);
  });

  it('reports the release under test on /release', async () => {
    const { status, body } = await get('/release');
    expect(status).toBe(200);
    const json = JSON.parse(body) as { service: string; release: string };
    expect(json.service).toBe('sample-service');
    if (releaseId) expect(json.release).toBe(releaseId);
  });

  it('names the release in the x-release-id header of every response', async () => {
    for (const path of ['/health', '/release', '/no-such-path']) {
      const { headers } = await get(path);
      expect(headers.get('x-release-id'), path).toBe(releaseId ?? headers.get('x-release-id'));
      expect(headers.get('x-release-id'), path).toBeTruthy();
    }
  });

  it('answers an unknown path with 404 and JSON', async () => {
    const { status, headers } = await get('/no-such-path');
    expect(status).toBe(404);
    expect(headers.get('content-type')).toContain('application/json');
  });

  it('answers 20 requests in a row without an error', async () => {
    const statuses = await Promise.all(Array.from({ length: 20 }, () => get('/health').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
