import { ShipgateError, resolveServiceTarget } from '@shipgate/model';
import type { LoadedConfig } from './config';
import { resolveAwsSettings } from './aws';

/**
 * The URL a service answers on in an environment, through its production (or test) listener. On
 * local-cloud the listeners are loopback ports; on AWS the load balancer's DNS name is looked up.
 */
export async function serviceUrl(
  loaded: LoadedConfig,
  environment: string,
  service: string,
  env: NodeJS.ProcessEnv,
  listener: 'production' | 'test' = 'production',
): Promise<string> {
  const target = resolveServiceTarget(loaded.config, environment, service);
  const port = listener === 'production' ? target.productionListenerPort : target.testListenerPort;
  const settings = resolveAwsSettings(loaded.config, target.region, env);
  if (settings.local) return localListenerUrl(settings.endpoint!, target.loadBalancer, port);
  const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const { clientOptions } = await import('./aws');
  const { HttpSmoke } = await import('@shipgate/ecs-deploy/aws');
  const client = new ElasticLoadBalancingV2Client(clientOptions(settings));
  try {
    // The listener's own protocol decides the scheme: an HTTPS listener is asked over TLS.
    return await new HttpSmoke(client).listenerUrl(target.loadBalancer, port);
  } catch (error) {
    throw new ShipgateError(
      'AWS_NOT_FOUND',
      `expected load balancer ${target.loadBalancer} in ${target.region}, found none (${(error as Error).name})`,
      {
        hint: `Run \`shipgate bootstrap ${environment}\` first, or pass --base-url.`,
        cause: error,
      },
    );
  } finally {
    client.destroy();
  }
}

/** One listener as local-cloud's control endpoint reports it. */
interface LocalListener {
  listenerArn: string;
  port: number;
  url: string;
}

/**
 * On local-cloud a listener may bind another local port than the one AWS would report (when that port
 * is taken); its control endpoint says where each listener really answers. An endpoint that is not
 * local-cloud (another AWS-compatible server) answers nothing useful: listeners are where their ports say.
 */
async function localListeners(endpoint: string): Promise<LocalListener[]> {
  try {
    const response = await fetch(`${endpoint.replace(/\/$/, '')}/_local-cloud/listeners`);
    return ((await response.json()) as { listeners?: LocalListener[] }).listeners ?? [];
  } catch {
    return [];
  }
}

async function localListenerUrl(endpoint: string, loadBalancer: string, port: number): Promise<string> {
  const matches = (await localListeners(endpoint)).filter((l) => l.port === port);
  const exact = matches.find((l) => l.listenerArn.includes(`/app/${loadBalancer}/`)) ?? matches[0];
  return exact?.url ?? `http://127.0.0.1:${port}`;
}

/**
 * A synchronous `urlFor` for listeners on local-cloud: the control endpoint is asked once where each
 * listener really answers; unknown listeners fall back to loopback:port.
 */
export async function localListenerUrlFor(
  endpoint: string,
): Promise<(listener: { port: number; listenerArn: string }) => string> {
  const byArn = new Map((await localListeners(endpoint)).map((l) => [l.listenerArn, l.url]));
  return ({ port, listenerArn }) => byArn.get(listenerArn) ?? `http://127.0.0.1:${port}`;
}

/**
 * Where load went, as stress evidence records it: the URL and, when it is the environment's own
 * production listener, that environment (the gate counts stress for E only against E's listener).
 * An environment whose listener cannot be looked up counts as "not its listener".
 */
export async function loadTarget(
  loaded: LoadedConfig,
  environment: string,
  service: string,
  env: NodeJS.ProcessEnv,
  given: string | undefined,
): Promise<{ baseUrl: string; listenerOf?: string }> {
  const listener = given
    ? await serviceUrl(loaded, environment, service, env).catch(() => undefined)
    : await serviceUrl(loaded, environment, service, env);
  const baseUrl = given ?? listener!;
  let same = false;
  try {
    same = listener !== undefined && new URL(baseUrl).origin === new URL(listener).origin;
  } catch {
    throw new ShipgateError('USAGE', `expected --base-url to be a URL such as http://host:port, found "${baseUrl}"`);
  }
  return { baseUrl, ...(same ? { listenerOf: environment } : {}) };
}
