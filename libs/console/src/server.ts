import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { checkListenAddress } from './access';
import { loadAssets } from './assets';
import { createConsoleApp } from './app';
import type { ConsoleSource } from './console-source';
import type { SnapshotOptions } from './deployment-snapshot';

/** The pause between the first deployment snapshot and the first chain walk. */
const chainWalkDelayMs = 1_000;

/** Where and how the console listens. */
export interface ConsoleServerOptions {
  source: ConsoleSource;
  host: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
  /** How the deployment snapshot is read (the bench compares the early board with a whole read). */
  snapshot?: SnapshotOptions;
}

/** A running console. */
export interface ConsoleServer {
  /** The address to open (with the token, when there is one). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the console; refuses a non-loopback address without a token before anything listens. */
export async function startConsole(options: ConsoleServerOptions): Promise<ConsoleServer> {
  checkListenAddress(options.host, options.token);
  const assets = await loadAssets();
  let port = options.port;
  const { app, chain, snapshot } = createConsoleApp({
    source: options.source,
    assets,
    listen: { host: options.host, port: () => port },
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.snapshot ? { snapshot: options.snapshot } : {}),
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  // The deployment records first (the board waits for the newest of them; the rest are read on), then
  // the chain walk: run together on a large ledger they slow each other down several times over. The
  // walk waits for the whole read and a further second, so that the first page (and its scripts and
  // styles) is served before it: the badge polls for the verdict.
  void snapshot
    .start()
    .then(() => snapshot.whole())
    .catch(() => undefined)
    .then(() => new Promise<void>((resolve) => setTimeout(resolve, chainWalkDelayMs).unref()))
    .then(() => chain.check());
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostPart}:${port}/${options.token !== undefined ? `?token=${encodeURIComponent(options.token)}` : ''}`;
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        snapshot.stop();
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
