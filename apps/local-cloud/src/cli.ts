import { parseArgs } from 'node:util';
import { startLocalCloud, type LocalCloud } from './local-cloud';

/**
 * `local-cloud up [--port 4566] [--time-scale N] [--state-dir DIR] [--fast-health-checks]`: runs in the
 * foreground, prints the endpoint on stdout, stops every task on SIGINT/SIGTERM. Resolves with the exit code.
 */
export async function runLocalCloudCli(
  argv: string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string', default: '4566' },
        'time-scale': { type: 'string', default: '1' },
        'state-dir': { type: 'string' },
        'fast-health-checks': { type: 'boolean', default: false },
        region: { type: 'string', default: 'us-east-1' },
      },
    });
  } catch (e) {
    io.err(`local-cloud: ${(e as Error).message}`);
    return 2;
  }
  const [command = 'up'] = parsed.positionals;
  if (command !== 'up') {
    io.err(`local-cloud: unknown command "${command}"; expected "up"`);
    return 2;
  }
  const port = Number(parsed.values.port);
  const timeScale = Number(parsed.values['time-scale']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`local-cloud: expected --port to be 0-65535, found "${parsed.values.port}"`);
    return 2;
  }
  if (!(timeScale >= 1)) {
    io.err(`local-cloud: expected --time-scale >= 1, found "${parsed.values['time-scale']}"`);
    return 2;
  }
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      port,
      timeScale,
      region: parsed.values.region,
      allowFastHealthChecks: parsed.values['fast-health-checks'],
      ...(parsed.values['state-dir'] ? { stateDir: parsed.values['state-dir'] } : {}),
    });
  } catch (e) {
    io.err(`local-cloud: cannot start: ${(e as Error).message}`);
    return 1;
  }
  io.out(cloud.endpoint);
  io.err(`local-cloud listening on ${cloud.endpoint}; export AWS_ENDPOINT_URL=${cloud.endpoint}; Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.err('local-cloud: stopping every task…');
  await cloud.close();
  return 0;
}
