import type { AlarmSpec, TargetGroupSpec } from '@shipgate/ecs-deploy';
import type { ServiceDescription } from './describe-environment';

/** What parity compares of one service in one environment, declared or live, in one shape. */
export interface ParitySubject {
  environment: string;
  desiredCount?: number;
  /** Blue and green (the health check must be the same on both; parity reads the first). */
  targetGroups: Omit<TargetGroupSpec, 'name'>[];
  controller?: string;
  deploymentGroup?: {
    deploymentConfig: string;
    readyAction: string;
    readyWaitMinutes: number;
    terminationWaitMinutes: number;
    autoRollbackEvents: string[];
  };
  /** Controller ecs: how the service moves traffic. */
  ecs?: { strategy?: string; pauseStages: string[]; bakeTimeInMinutes?: number };
  alarms: Omit<AlarmSpec, 'name' | 'description'>[];
  /** A RegisterTaskDefinition input or a DescribeTaskDefinition answer. */
  taskDefinition?: Record<string, unknown>;
  /** Declared only: settings that are no AWS resource. */
  config?: Record<string, string>;
}

/** Settings compared as one flat map: `healthCheck.path` → `/health`. */
export type ParityView = Record<string, string>;

// What a task definition carries that is not its content: identity and registration metadata.
const taskDefinitionMetadata = new Set([
  'family',
  'containerDefinitions',
  'taskDefinitionArn',
  'revision',
  'status',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'requiresAttributes',
  'compatibilities',
  'tags',
]);

/** Names differ by the environment's name by design: `shipgate-demo-staging-x` equals `shipgate-demo-production-x`. */
export function withoutEnvironmentName(text: string, environment: string): string {
  const escaped = environment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`, 'g'), '<env>');
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * The environment variables whose template value names the release (`{{release}}`, `{{digest}}`,
 * `{{image}}`): they differ whenever two environments run different releases, so parity skips them.
 */
export function releaseIdentityVariables(templateText: string): Set<string> {
  const out = new Set<string>();
  const template = JSON.parse(templateText) as {
    containerDefinitions?: { environment?: { name: string; value: string }[] }[];
  };
  for (const c of template.containerDefinitions ?? [])
    for (const e of c.environment ?? [])
      if (/\{\{\s*(release|digest|image)\s*\}\}/.test(String(e.value))) out.add(e.name);
  return out;
}

/** The flat view of a subject (pure); the same function for declared and live, so that both compare alike. */
export function parityView(subject: ParitySubject, skipVariables: ReadonlySet<string> = new Set()): ParityView {
  const env = subject.environment;
  const view: ParityView = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) view[key] = withoutEnvironmentName(show(value), env);
  };
  put('desiredCount', subject.desiredCount);
  const tg = subject.targetGroups[0];
  if (tg) {
    put('containerPort', tg.port);
    put('healthCheck.path', tg.healthCheckPath);
    put('healthCheck.intervalSeconds', tg.healthCheckIntervalSeconds);
    put('healthCheck.timeoutSeconds', tg.healthCheckTimeoutSeconds);
    put('healthCheck.healthyThreshold', tg.healthyThreshold);
    put('healthCheck.unhealthyThreshold', tg.unhealthyThreshold);
    put('deregistrationDelaySeconds', tg.deregistrationDelaySeconds);
  }
  put('deploy.controller', subject.controller);
  const g = subject.deploymentGroup;
  if (g) {
    put('deploy.deploymentConfig', g.deploymentConfig);
    put('deploy.readyAction', g.readyAction);
    put('deploy.readinessWaitMinutes', g.readyWaitMinutes);
    put('deploy.terminationWaitMinutes', g.terminationWaitMinutes);
    put('deploy.autoRollback', [...g.autoRollbackEvents].sort().join(', '));
  }
  if (subject.ecs) {
    put('deploy.strategy', subject.ecs.strategy ?? 'ROLLING');
    put('deploy.pauseStages', [...subject.ecs.pauseStages].sort().join(', ') || 'none');
    put('deploy.bakeTimeInMinutes', subject.ecs.bakeTimeInMinutes ?? 0);
  }
  put(
    'deploy.alarms',
    subject.alarms
      .map(
        (a) =>
          `${a.namespace} ${a.metricName} ${a.statistic} ${a.comparisonOperator} ${a.threshold} per ${a.periodSeconds}s ×${a.evaluationPeriods}`,
      )
      .sort()
      .join('; ') || 'none',
  );
  const td = subject.taskDefinition;
  if (td) {
    for (const [k, v] of Object.entries(td)) if (!taskDefinitionMetadata.has(k)) put(`taskDefinition.${k}`, v);
    for (const c of (td.containerDefinitions ?? []) as Record<string, unknown>[]) {
      const prefix = `taskDefinition.container.${String(c.name)}`;
      for (const [k, v] of Object.entries(c)) {
        if (k === 'name' || k === 'image' || k === 'environment' || k === 'secrets') continue;
        put(`${prefix}.${k}`, v);
      }
      for (const e of (c.environment ?? []) as { name: string; value: string }[])
        if (!skipVariables.has(e.name)) put(`${prefix}.environment.${e.name}`, e.value);
      // A secret is compared by where it comes from (its ARN), never by its value, which shipgate never reads.
      for (const s of (c.secrets ?? []) as { name: string; valueFrom: string }[])
        put(`${prefix}.secrets.${s.name}`, s.valueFrom);
    }
  }
  for (const [k, v] of Object.entries(subject.config ?? {})) put(k, v);
  return view;
}

/** The declared subject of a described service. */
export function declaredSubject(service: ServiceDescription, dataPolicy: string): ParitySubject {
  const t = service.target;
  const { name: _n, ...tg } = service.targetGroups[0];
  return {
    environment: t.environment,
    desiredCount: t.desiredCount,
    targetGroups: [tg],
    controller: service.ecsDeployment ? 'ECS' : 'CODE_DEPLOY',
    ...(service.deploymentGroup ? { deploymentGroup: service.deploymentGroup } : {}),
    ...(service.ecsDeployment
      ? {
          ecs: {
            ...(service.ecsDeployment.strategy ? { strategy: service.ecsDeployment.strategy } : {}),
            pauseStages: (service.ecsDeployment.lifecycleHooks ?? [])
              .filter((h) => h.targetType === 'PAUSE')
              .flatMap((h) => h.lifecycleStages ?? []),
            bakeTimeInMinutes: service.ecsDeployment.bakeTimeInMinutes ?? 0,
          },
        }
      : {}),
    alarms: service.alarms.map(({ name: _a, description: _d, ...spec }) => spec),
    taskDefinition: service.taskDefinition as Record<string, unknown>,
    config: {
      dataPolicy,
      'deploy.verifyRequests': String(t.deploy.verifyRequests),
      'deploy.readinessWait': t.deploy.readinessWait,
      ...(service.ecsDeployment
        ? {
            'deploy.bakeTime': t.deploy.bakeTime,
            ...(t.deploy.linear ? { 'deploy.linear': JSON.stringify(t.deploy.linear) } : {}),
            ...(t.deploy.canary ? { 'deploy.canary': JSON.stringify(t.deploy.canary) } : {}),
          }
        : {}),
      releasePath: t.releasePath,
    },
  };
}
