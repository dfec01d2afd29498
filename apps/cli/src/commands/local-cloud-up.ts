import { defineCommand } from '../command';

/** `shipgate local-cloud up`: the embedded AWS-compatible cloud in the foreground until Ctrl-C. */
export const command = defineCommand({
  name: 'local-cloud up',
  usage: 'shipgate local-cloud up [--port 4566] [--time-scale N] [--state-dir DIR]',
  description: [
    'Point the CLI (or any AWS SDK) at it with AWS_ENDPOINT_URL=http://127.0.0.1:<port>; a shipgate.yaml',
    'with a `localCloud` section uses it by default. Tasks run as local processes; listeners are real HTTP',
    'ports on 127.0.0.1. Stop it with Ctrl-C: every task process is stopped with it.',
  ].join('\n'),
  examples: ['shipgate local-cloud up', 'shipgate local-cloud up --port 4566 --time-scale 60'],
  options: {
    port: { type: 'string', placeholder: 'PORT', default: '4566', description: 'API port (0 picks a free one)' },
    'time-scale': {
      type: 'string',
      placeholder: 'N',
      default: '1',
      description: 'CodeDeploy runs N times faster (waits, canary and linear intervals)',
    },
    'state-dir': {
      type: 'string',
      placeholder: 'DIR',
      description: 'Image store and task logs (default: a temporary directory)',
    },
    'fast-health-checks': { type: 'boolean', description: 'Allow health-check intervals below AWS’s 5 s minimum' },
  },
  async run(ctx) {
    const port = Number(ctx.values.port);
    const timeScale = Number(ctx.values['time-scale']);
    const { ShipgateError } = await import('@shipgate/model');
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new ShipgateError('USAGE', `expected --port to be 0-65535, found "${ctx.values.port}"`);
    if (!(timeScale >= 1 && timeScale <= 3600))
      throw new ShipgateError('USAGE', `expected --time-scale between 1 and 3600, found "${ctx.values['time-scale']}"`);
    const { startLocalCloud } = await import('@shipgate/local-cloud');
    const stateDir = ctx.values['state-dir'];
    const cloud = await startLocalCloud({
      port,
      timeScale,
      ...(stateDir ? { stateDir } : {}),
      allowFastHealthChecks: ctx.values['fast-health-checks'],
    });
    ctx.warn(
      `local-cloud listening on ${cloud.endpoint} (time scale ${timeScale}); export AWS_ENDPOINT_URL=${cloud.endpoint}; Ctrl-C stops it`,
    );
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    ctx.warn('stopping local-cloud: stopping every task…');
    await cloud.close();
    return { json: { endpoint: cloud.endpoint, stopped: true }, human: 'local-cloud stopped; no task left running' };
  },
});
