import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpReleaseProbe } from './http-release-probe';

let server: Server;
let base: string;
let mode: 'header' | 'body' | 'down' = 'header';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (mode === 'header') res.setHeader('x-release-id', 'rel-header');
    res.statusCode = mode === 'down' ? 503 : 200;
    res.end(mode === 'body' ? JSON.stringify({ release: 'rel-body', path: req.url }) : 'not json');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpReleaseProbe', () => {
  const probe = httpReleaseProbe({ releasePath: '/release', timeoutMs: 1000 });

  it('reads the release from the x-release-id header, else from the JSON body', async () => {
    mode = 'header';
    expect(await probe.whoAnswers(base)).toEqual({ ok: true, status: 200, releaseId: 'rel-header' });
    mode = 'body';
    expect(await probe.whoAnswers(base)).toEqual({ ok: true, status: 200, releaseId: 'rel-body' });
  });

  it('reports a 503 and a refused connection as answers, never as exceptions', async () => {
    mode = 'down';
    expect(await probe.whoAnswers(base)).toEqual({ ok: false, status: 503 });
    const refused = await probe.whoAnswers('http://127.0.0.1:9');
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});
