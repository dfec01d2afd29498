import type { AlarmControl, CloudTime, EcsControl, ElbControl, JsonServiceApi } from '../contract';
import { deploymentsApi } from './deployments-api';
import { DeploymentEngine } from './engine';
import type { CodeDeployOptions } from './engine-context';
import { resolveOptions } from './engine-context';
import { setupApi } from './setup-api';
import { CodeDeployStore } from './store';

export type { CodeDeployOptions } from './engine-context';

/** What CodeDeploy needs from the rest of local-cloud. */
export interface CodeDeployDeps {
  ecs: EcsControl;
  elb: ElbControl;
  alarms: AlarmControl;
  time: CloudTime;
  region: string;
  accountId: string;
  /** Optional knobs (install timeout, alarm poll interval, page size); AWS's values by default. */
  options?: CodeDeployOptions;
}

/** CodeDeploy for the ECS compute platform: the JSON 1.1 operations and the blue/green engine behind them. */
export function createCodeDeploy(deps: CodeDeployDeps): { api: JsonServiceApi; close(): Promise<void> } {
  const ctx = {
    ecs: deps.ecs,
    elb: deps.elb,
    alarms: deps.alarms,
    time: deps.time,
    store: new CodeDeployStore(),
    options: resolveOptions(deps.options),
  };
  const engine = new DeploymentEngine(ctx);
  return {
    api: { ...setupApi(ctx), ...deploymentsApi(ctx, engine) },
    close: () => engine.close(),
  };
}
