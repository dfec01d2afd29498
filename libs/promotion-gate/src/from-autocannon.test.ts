import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShipgateError } from '@shipgate/model';
import { fromAutocannon } from './from-autocannon';
import type { AutocannonResultLike } from './from-autocannon';

const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: Record<string, unknown>,
) => Promise<AutocannonResultLike>;

describe('fromAutocannon on a real autocannon run', () => {
  let server: Server;
  let url: string;
  let served = 0;

  beforeAll(async () => {
    // Every 10th response names another release, and every 25th is a 503.
    server = createServer((_req, res) => {
      served++;
      if (served % 25 === 0) res.writeHead(503).end('{"error":"busy"}');
      else
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ release: served % 10 === 0 ? 'rel-old' : 'rel-new' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/release`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('labels the summary autocannon, counts failed requests and turns body mismatches into the release check', async () => {
    const result = await autocannon({
      url,
      connections: 4,
      amount: 500,
      verifyBody: (body: string) => body.includes('"rel-new"'),
    });
    const summary = fromAutocannon(result, { releaseCheck: 'serves the release under test' });
    expect(summary).toMatchObject({
      tool: 'autocannon',
      format: 'autocannon',
      thresholds: [],
      peakVus: 4,
      target: url,
    });
    expect(summary.httpRequests).toBe(500);
    expect(summary.failedRequests).toBe(20);
    expect(summary.failedRequestRate).toBeCloseTo(0.04, 5);
    expect(summary.checks).toHaveLength(1);
    // Mismatches: every 10th body names rel-old, and 503 bodies name no release at all.
    const check = summary.checks[0]!;
    expect(check.passes + check.fails).toBe(500);
    expect(check.fails).toBe(result.mismatches);
    expect(check.fails).toBeGreaterThanOrEqual(50);
    expect(summary.p95Ms).toBeUndefined();
    expect(summary.p975Ms).toBeGreaterThanOrEqual(0);
    expect(summary.durationMs).toBeGreaterThan(0);
    expect(summary.notes).toContain('autocannon reports no p95; p97.5 (never below p95) is compared with a p95 limit');
  });

  it('refuses something that is not an autocannon result', () => {
    expect(() => fromAutocannon({ metrics: {} } as unknown as AutocannonResultLike)).toThrow(ShipgateError);
    expect(() => fromAutocannon({ metrics: {} } as unknown as AutocannonResultLike)).toThrow(
      'expected an autocannon result with requests.total, connections and latency, found ["metrics"]',
    );
  });
});
