import { defineCommand } from '../command';

/** `shipgate console`: the read-only web console over the ledger, until Ctrl-C. */
export const command = defineCommand({
  name: 'console',
  usage: 'shipgate console [--port N] [--host 127.0.0.1] [--token T]',
  description: [
    'Serves pages over the ledger on --state (a directory or s3://bucket/prefix): the environments board,',
    'releases with their evidence, the gate decision (the same function as `shipgate gate`, recording',
    'nothing), deployments with their production traffic, and the audit log with the chain verified.',
    'It changes nothing: every page names the CLI command for the next step. It listens on loopback;',
    'another --host is refused without --token (or SHIPGATE_CONSOLE_TOKEN). Ctrl-C stops it.',
  ].join('\n'),
  examples: [
    'shipgate console',
    'shipgate console --state .shipgate/rehearsal/state --port 8790',
    'shipgate console --host 0.0.0.0 --token "$(openssl rand -hex 24)"',
  ],
  options: {
    port: { type: 'string', placeholder: 'N', default: '8790', description: 'Port (0 picks a free one)' },
    host: { type: 'string', placeholder: 'ADDR', default: '127.0.0.1', description: 'Address to listen on' },
    token: {
      type: 'string',
      placeholder: 'T',
      description: 'Access token every request must present (required for a non-loopback --host)',
    },
  },
  async run(ctx) {
    const { ShipgateError, cryptoRandom } = await import('@shipgate/model');
    const port = Number(ctx.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new ShipgateError('USAGE', `console: expected --port to be 0-65535, found "${ctx.values.port}"`, {
        hint: 'For example: --port 8790',
      });
    const token = ctx.values.token ?? (ctx.env.SHIPGATE_CONSOLE_TOKEN || undefined);
    const host = ctx.values.host;
    // Imported only now: `shipgate --version` and every other command load none of the console.
    const [{ startConsole, readOnlyStore, checkListenAddress }, { openLedger }, { evaluateOnly }, { loadTrust }] =
      await Promise.all([
        import('@shipgate/console'),
        import('@shipgate/ledger'),
        import('../support/gate'),
        import('../support/trust'),
      ]);
    checkListenAddress(host, token);
    const stopped = new Promise<void>((resolveStop) => {
      process.once('SIGINT', () => resolveStop());
      process.once('SIGTERM', () => resolveStop());
    });
    const loaded = await ctx.config();
    const ledger = openLedger(readOnlyStore((await ctx.ledger()).store), { clock: ctx.clock, random: cryptoRandom });
    const prefix = [
      ...(ctx.global.config !== 'shipgate.yaml' ? ['--config', ctx.global.config] : []),
      ...(ctx.global.state !== '.shipgate' ? ['--state', ctx.global.state] : []),
      ...(ctx.global.profile ? ['--policy-profile', ctx.global.profile] : []),
    ];
    const server = await startConsole({
      host,
      port,
      ...(token !== undefined ? { token } : {}),
      source: {
        ledger,
        environments: Object.entries(loaded.config.environments).map(([name, env]) => ({
          name,
          services: Object.keys(env.services),
        })),
        decide: (release, environment) => evaluateOnly(ctx, loaded, ledger, release, environment),
        // The gate's own trust policy, so that a record shows as verified exactly when the gate counts it.
        trustFor: async (environment) => (await loadTrust(ctx, loaded, environment)).trust,
        commandPrefix: prefix,
        clock: ctx.clock,
        stateLocation: ledger.store.location,
      },
    });
    ctx.notice(`console (read-only) on ${server.url} over the ledger at ${ledger.store.location}; Ctrl-C stops it`);
    await stopped;
    await server.close();
    return { json: { url: server.url.replace(/\?token=.*$/, ''), stopped: true }, human: 'console stopped' };
  },
});
