// #11 item 25: with --time-scale, CodeDeploy's waits run faster, but every timestamp local-cloud reports is
// wall-clock time, since a client compares them with its own clock. Through the real SDK clients, at time scale 600.
// A deployment's own times (create, lifecycle events, complete) are checked in codedeploy.conformance.test.ts,
// CloudWatch's alarm timestamps in cloudwatch-protocols.test.ts.
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentConfigCommand,
  GetApplicationCommand,
  GetDeploymentConfigCommand,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from './local-cloud';
import { expectWallClock as expectWall, testCredentials } from './test-support';

let cloud: LocalCloud;
let cd: CodeDeployClient;
const started = Date.now();

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, timeScale: 600 });
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 };
  cd = new CodeDeployClient(config);
});
afterAll(async () => {
  cd?.destroy();
  await cloud?.close();
});

const expectWallClock = (what: string, date: Date | undefined) => expectWall(what, date, started);

describe('timestamps under --time-scale are wall-clock time (#11.25)', () => {
  it('CodeDeploy applications and deployment configs are stamped with the real time', async () => {
    // At scale 600 a scaled clock would be ten minutes ahead after one real second; a few ms are enough to show.
    await new Promise((r) => setTimeout(r, 200));
    await cd.send(new CreateApplicationCommand({ applicationName: 'clock', computePlatform: 'ECS' }));
    const app = await cd.send(new GetApplicationCommand({ applicationName: 'clock' }));
    expectWallClock('application createTime', app.application?.createTime);
    await cd.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'clock-linear',
        computePlatform: 'ECS',
        trafficRoutingConfig: {
          type: 'TimeBasedLinear',
          timeBasedLinear: { linearPercentage: 50, linearInterval: 1 },
        },
      }),
    );
    const config = await cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'clock-linear' }));
    expectWallClock('deployment config createTime', config.deploymentConfigInfo?.createTime);
  });
});
