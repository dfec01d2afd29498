import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudWatchBindings, createCloudWatch } from './cloudwatch/index';
import { createCodeDeploy, type CodeDeployOptions } from './codedeploy/index';
import { createCloudTime } from './cloud-time';
import type { CloudTime, EcsControl, ElbControl } from './contract';
import { Ecs } from './ecs/ecs';
import { createEcsControl } from './ecs/ecs-control';
import { ecsBinding } from './ecs/ecs-service';
import type { NativeDeploymentOptions } from './ecs/native-context';
import { ServiceDeployments } from './ecs/service-deployments';
import { Elb } from './elb/elb';
import { createElbControl } from './elb/elb-control';
import { elbBinding } from './elb/elb-service';
import { Faults } from './faults/faults';
import { ACCOUNT_ID } from './ids';
import { ImageStore, imageNameOf, type BuildImageInput, type BuiltImage } from './runtime/image-store';
import { startApiServer } from './server/api-server';
import { controlHandler } from './server/control-endpoint';

/** How to start local-cloud. */
export interface LocalCloudOptions {
  /** API port; 0 picks a free one (default 4566). */
  port?: number;
  /** Loopback address for the API and the listeners (default 127.0.0.1). */
  host?: string;
  /** CodeDeploy time runs this many times faster (default 1). Health checks and requests are never scaled. */
  timeScale?: number;
  /** Image store and state; default a fresh temporary directory, removed by close(). */
  stateDir?: string;
  /** Accept health-check intervals, timeouts and thresholds below AWS's minimums (down to 1). */
  allowFastHealthChecks?: boolean;
  /** Region when a request carries none (default us-east-1). */
  region?: string;
  /** Seed of fault draws and weighted routing (default 1). */
  seed?: number;
  /** A listener on Port P binds P + offset locally (a free port when that is taken). Default 0. */
  listenerPortOffset?: number;
  /** Lines of output kept per container (default 200). */
  taskOutputLines?: number;
  /** CodeDeploy engine knobs (install timeout, alarm poll interval). */
  codeDeploy?: CodeDeployOptions;
  /** ECS-native deployment knobs (scale-up timeout, alarm poll interval). */
  ecsDeployments?: NativeDeploymentOptions;
}

/** A listener's local address. */
export interface ListenerAddress {
  listenerArn: string;
  /** The port AWS would report (DescribeListeners). */
  port: number;
  /** The port it really listens on here. */
  localPort: number;
  url: string;
}

/** A running local-cloud. */
export interface LocalCloud {
  /** `http://127.0.0.1:<port>`: pass as the SDK's `endpoint` or `AWS_ENDPOINT_URL`. */
  endpoint: string;
  region: string;
  accountId: string;
  stateDir: string;
  time: CloudTime;
  faults: Faults;
  /** The in-process seams CodeDeploy uses (also handy in tests). */
  ecs: EcsControl;
  elb: ElbControl;
  /** Stores an image; its `reference` goes into a task definition's container `image`. */
  buildImage(input: BuildImageInput): Promise<BuiltImage>;
  /** The URL a listener really answers on, or undefined for an unknown listener. */
  listenerUrl(listenerArn: string): string | undefined;
  listeners(): ListenerAddress[];
  /** The last lines a task's containers wrote (by task ARN or id), or undefined for an unknown task. */
  taskOutput(task: string): string[] | undefined;
  /** Process ids of every task container process still running. */
  taskPids(): number[];
  /** Sets a CloudWatch alarm's state (same as faults.setAlarmState). */
  setAlarmState(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason?: string): void;
  /** Stops every task (SIGTERM, then SIGKILL), every listener, CodeDeploy and the API server. */
  close(): Promise<void>;
}

/** Starts local-cloud: ECS, ELBv2, CodeDeploy and CloudWatch on one loopback endpoint. */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const ownsStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'local-cloud-')));
  const time = createCloudTime(options.timeScale ?? 1);
  const faults = new Faults(options.seed ?? 1);
  const images = new ImageStore(join(stateDir, 'image-store'));
  const elb = new Elb({
    accountId: ACCOUNT_ID,
    listenerHost: host,
    listenerPortOffset: options.listenerPortOffset ?? 0,
    seed: options.seed ?? 1,
    // Health-check faults follow the image the target's task runs.
    healthOverride: (_id, port) => {
      const keys = imageKeysOfPort(port);
      return keys && faults.taskFault(keys) === 'never-healthy'
        ? {
            ok: false,
            reason: 'Target.ResponseCodeMismatch',
            description: 'Health checks failed with these codes: [503]',
          }
        : undefined;
    },
  });
  const ecs = new Ecs({ accountId: ACCOUNT_ID, images, elb, faults, outputLines: options.taskOutputLines ?? 200 });
  const ecsControl = createEcsControl(ecs);
  const elbControl = createElbControl(elb);
  const cloudWatch = createCloudWatch({ region, accountId: ACCOUNT_ID, time });
  faults.alarmSink = (name, state, reason) => cloudWatch.setAlarmState(name, state, reason);
  const serviceDeployments = new ServiceDeployments(
    {
      ecs,
      control: ecsControl,
      rules: elbControl,
      alarms: cloudWatch.alarms,
      time,
      options: {
        scaleUpTimeoutMinutes: options.ecsDeployments?.scaleUpTimeoutMinutes ?? 60,
        alarmPollRealMs: options.ecsDeployments?.alarmPollRealMs ?? 1000,
      },
    },
    ACCOUNT_ID,
  );
  ecs.serviceDeployments = serviceDeployments;
  const codeDeploy = createCodeDeploy({
    ecs: ecsControl,
    elb: elbControl,
    alarms: cloudWatch.alarms,
    time,
    region,
    accountId: ACCOUNT_ID,
    ...(options.codeDeploy ? { options: options.codeDeploy } : {}),
  });

  const findTask = (ref: string) => ecs.tasks.get(ref) ?? [...ecs.tasks.values()].find((t) => t.id === ref);
  const listeners = (): ListenerAddress[] =>
    [...elb.listeners.values()].map((l) => ({
      listenerArn: l.arn,
      port: l.port,
      localPort: l.localPort,
      url: `http://${host}:${l.localPort}`,
    }));
  const taskOutput = (ref: string) => {
    const task = findTask(ref);
    return task ? task.containers.flatMap((c) => c.process?.output.snapshot() ?? []) : undefined;
  };
  const buildImage = (input: BuildImageInput) => images.build(input);

  function imageKeysOfPort(port: number): string[] | undefined {
    for (const task of ecs.tasks.values()) {
      if (task.lastStatus === 'STOPPED') continue;
      const c = task.containers.find((x) => x.hostPort === port);
      if (c) return [c.def.image, imageNameOf(c.def.image), ...(task.imageDigest ? [task.imageDigest] : [])];
    }
    return undefined;
  }

  const cloudWatchService = cloudWatchBindings(cloudWatch.api);
  const api = await startApiServer({
    host,
    port: options.port ?? 4566,
    defaultRegion: region,
    faults,
    json: [
      ecsBinding(ecs, region, serviceDeployments),
      { name: 'codedeploy', targetPrefix: 'CodeDeploy_20141006', jsonVersion: '1.1', api: codeDeploy.api },
      cloudWatchService.json,
    ],
    query: [elbBinding(elb, region, options.allowFastHealthChecks ?? false), cloudWatchService.query],
    control: controlHandler({ faults, listeners, taskOutput, buildImage }),
  });

  let closed: Promise<void> | undefined;
  return {
    endpoint: api.endpoint,
    region,
    accountId: ACCOUNT_ID,
    stateDir,
    time,
    faults,
    ecs: ecsControl,
    elb: elbControl,
    buildImage,
    listenerUrl: (arn) => listeners().find((l) => l.listenerArn === arn)?.url,
    listeners,
    taskOutput,
    taskPids: () =>
      [...ecs.tasks.values()].flatMap((t) =>
        t.containers.flatMap((c) =>
          c.process && !c.process.exit && c.process.pid !== undefined ? [c.process.pid] : [],
        ),
      ),
    setAlarmState: (name, state, reason) => faults.setAlarmState(name, state, reason),
    close: () =>
      (closed ??= (async () => {
        await codeDeploy.close();
        await serviceDeployments.close();
        await api.close();
        await ecs.close();
        await elb.close();
        if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
      })()),
  };
}
