import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listenerBaseUrl } from '@shipgate/ecs-deploy/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpReleaseProbe } from './http-release-probe';

const fixture = (name: string) => fileURLToPath(new URL(`../__fixtures__/${name}`, import.meta.url));

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

  it('asks an HTTPS listener over TLS, with certificate checks, as deploy verification does (#11.26)', async () => {
    expect(listenerBaseUrl({ protocol: 'HTTPS', dnsName: 'lb.example', port: 443 })).toBe('https://lb.example:443');
    expect(listenerBaseUrl({ protocol: 'HTTP', dnsName: 'lb.example', port: 80 })).toBe('http://lb.example:80');
    let tlsRequests = 0;
    const tls = createTlsServer(
      { key: await readFile(fixture('loopback-tls.key')), cert: await readFile(fixture('loopback-tls.crt')) },
      (_req, res) => {
        tlsRequests++;
        res.setHeader('x-release-id', 'rel-tls');
        res.end('{}');
      },
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    // A child process, so that Node trusts the test's own CA the standard way (NODE_EXTRA_CA_CERTS).
    const ask = async (env: NodeJS.ProcessEnv) => {
      const code = `const { httpReleaseProbe } = await import(${JSON.stringify(fileURLToPath(new URL('./http-release-probe.ts', import.meta.url)))});
process.stdout.write(JSON.stringify(await httpReleaseProbe({ releasePath: '/release', timeoutMs: 3000 }).whoAnswers(${JSON.stringify(url)})));`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', code],
        { env: { ...process.env, ...env }, timeout: 30_000 },
      );
      return JSON.parse(stdout) as { ok: boolean; status: number; releaseId?: string; error?: string };
    };
    try {
      expect(await ask({ NODE_EXTRA_CA_CERTS: fixture('loopback-tls.crt') })).toEqual({
        ok: true,
        status: 200,
        releaseId: 'rel-tls',
      });
      expect(tlsRequests).toBe(1);
      // Without the CA the certificate is refused: TLS is checked, not switched off.
      const untrusted = await ask({ NODE_EXTRA_CA_CERTS: '' });
      expect(untrusted.ok).toBe(false);
      expect(untrusted.error).toMatch(/self[- ]signed certificate/i);
      expect(tlsRequests).toBe(1);
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  }, 60_000);
});
