import { ManualClock, ShipgateError } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { digestA, digestB, release, sampleTarget, templateText } from './__fixtures__/targets';
import type { DeployEvent } from './deploy-events';
import { planDeploy, type DeployState } from './plan-deploy';
import { renderTaskDefinition } from './render-task-definition';
import { runDeploy } from './run-deploy';
import { FakeController, FakeDiagnostics, FakeSmoke, fakeDeployPorts } from './testing/fakes';

const target = sampleTarget('test', {
  healthCheck: { interval: '1s', timeout: '1s', healthyThreshold: 2, unhealthyThreshold: 2 },
});
const relB = release('rel-b', digestB);
const taskDef = renderTaskDefinition(
  templateText,
  {
    family: target.taskFamily,
    image: relB.image,
    digest: digestB,
    release: relB.id,
    service: 'api',
    environment: 'test',
  },
  { containerName: 'app', containerPort: 8080 },
);
const running: DeployState = {
  service: { taskDefinitionArn: 'td:1', digest: digestA },
  routing: { type: 'all-at-once' },
};
const named = (id: string) =>
  new FakeSmoke(() => ({ status: 200, headers: { 'x-release-id': id }, body: JSON.stringify({ release: id }) }));

function harness() {
  const clock = new ManualClock();
  const events: DeployEvent[] = [];
  return {
    clock,
    events,
    options: { clock, sleep: async (ms: number) => clock.advance(ms), onProgress: (e: DeployEvent) => events.push(e) },
  };
}

describe('runDeploy', () => {
  it('registers, starts, verifies while verifying, continues and follows the traffic to success', async () => {
    const ports = fakeDeployPorts({ smoke: named('rel-b') });
    const h = harness();
    const report = await runDeploy(
      planDeploy(running, relB, target, taskDef, { timeScale: 60, taskStartMs: 5000 }),
      ports,
      h.options,
    );
    expect(report.outcome).toBe('succeeded');
    expect(report.deploymentId).toBe('d-FAKE1');
    expect(report.taskDefinitionArn).toMatch(/demo-test-api:1$/);
    expect(report.verification).toMatchObject({
      requests: 20,
      succeeded: 20,
      passed: true,
      releasesSeen: { 'rel-b': 20 },
    });
    expect(ports.controller.calls).toEqual(['start', 'continue d-FAKE1']);
    expect(report.trafficTimeline.map((p) => p.green)).toEqual([0, 50, 100]);
    expect(h.events.map((e) => e.type)).toContain('verified');
    expect(h.events.every((e) => e.budgetMs === report.budgetMs)).toBe(true);
  });

  it('stops with rollback when the test listener answers with another release, and says so', async () => {
    const ports = fakeDeployPorts({ smoke: named('rel-a') });
    const report = await runDeploy(
      planDeploy(running, relB, target, taskDef, { timeScale: 60 }),
      ports,
      harness().options,
    );
    expect(report.outcome).toBe('rolled-back');
    expect(ports.controller.calls).toEqual(['start', 'stop d-FAKE1']);
    expect(report.failure?.summary).toMatch(/verification through the test listener failed \(0\/20/);
    expect(report.failure?.lines.join('\n')).toContain('20/20 requests: answered by release rel-a, expected rel-b');
    expect(report.failure?.lines).toContain('Production traffic never reached the replacement task set.');
    expect(Math.max(...report.trafficTimeline.map((p) => p.green))).toBe(0);
  });

  it('returns once production traffic has moved with wait: traffic', async () => {
    const ports = fakeDeployPorts({ smoke: named('rel-b') });
    const report = await runDeploy(
      planDeploy(running, relB, target, taskDef, { wait: 'traffic' }),
      ports,
      harness().options,
    );
    expect(report.outcome).toBe('traffic-shifted');
    expect(report.trafficTimeline.at(-1)).toMatchObject({ blue: 0, green: 100 });
  });

  it('refuses with the in-flight deployment id, and attaches when a racing run started the same release', async () => {
    const blueGreen = new FakeController();
    const other = blueGreen.seed({ target, taskDefinitionArn: 'td-other', description: '' });
    const refused = await runDeploy(
      planDeploy({ ...running, inFlight: { id: other, phase: 'shifting', digest: digestA } }, relB, target, taskDef),
      fakeDeployPorts({ controller: blueGreen }),
      harness().options,
    ).catch((e: ShipgateError) => e);
    expect((refused as ShipgateError).code).toBe('DEPLOY_IN_FLIGHT');
    expect((refused as ShipgateError).message).toContain(other);

    // The race: nothing was in flight when planned, but CreateDeployment says otherwise.
    const ports = fakeDeployPorts({ smoke: named('rel-b') });
    const first = await ports.taskDefinitions.register(taskDef);
    const racer = ports.controller.seed({ target, taskDefinitionArn: first.arn, description: '' });
    const report = await runDeploy(planDeploy(running, relB, target, taskDef), ports, harness().options);
    expect(report).toMatchObject({ outcome: 'succeeded', deploymentId: racer, attached: true });
  });

  it('stops a replacement that never gets healthy at its own deadline and reports the target health', async () => {
    const blueGreen = new FakeController([{ phase: 'starting', green: 0 }]);
    const diagnostics = new FakeDiagnostics({
      unhealthy: [{ target: '127.0.0.1:40001', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' }],
    });
    const h = harness();
    const plan = planDeploy(running, relB, target, taskDef, { timeScale: 60, taskStartMs: 5000 });
    const report = await runDeploy(plan, fakeDeployPorts({ controller: blueGreen, diagnostics }), h.options);
    expect(report.outcome).toBe('rolled-back');
    expect(report.failure?.summary).toContain('was not healthy within');
    expect(report.failure?.lines.join('\n')).toContain('Target.ResponseCodeMismatch');
    expect(h.clock.now().getTime() - new Date('2026-01-01T00:00:00Z').getTime()).toBeGreaterThan(
      plan.budget.replacementMs,
    );
  });

  it('names the deadline when a deployment outlives its budget', async () => {
    const blueGreen = new FakeController([
      { phase: 'starting', green: 0 },
      { phase: 'shifting', green: 50 },
    ]);
    const error = (await runDeploy(
      planDeploy(running, relB, target, taskDef, { timeScale: 60 }),
      fakeDeployPorts({ controller: blueGreen }),
      harness().options,
    ).catch((e) => e)) as ShipgateError;
    expect(error.code).toBe('DEPLOY_TIMEOUT');
    expect(error.message).toMatch(
      /expected deployment d-FAKE1 to complete within .*readiness wait 10 s.*found it shifting/,
    );
    expect(error.details).toMatchObject({ deploymentId: 'd-FAKE1' });
  });

  it('supersedes: stops the other release with rollback, waits for it to end, then deploys', async () => {
    const ports = fakeDeployPorts({ smoke: named('rel-b') });
    const other = ports.controller.seed({ target, taskDefinitionArn: 'td-other', description: '' });
    const plan = planDeploy(
      { ...running, inFlight: { id: other, phase: 'shifting', digest: digestA } },
      relB,
      target,
      taskDef,
      { ifBusy: 'supersede' },
    );
    const report = await runDeploy(plan, ports, harness().options);
    expect(ports.controller.calls).toEqual([`stop ${other}`, 'start', 'continue d-FAKE2']);
    expect(report).toMatchObject({ outcome: 'succeeded', deploymentId: 'd-FAKE2', previousDeploymentId: other });
  });

  it('supersede: the other release finished between the plan and the stop, so it deploys at once', async () => {
    const ports = fakeDeployPorts({ smoke: named('rel-b') });
    // Seeded at its last step: finished, though the plan saw it shifting.
    const other = ports.controller.seed({ target, taskDefinitionArn: 'td-other', description: '' }, 4);
    const plan = planDeploy(
      { ...running, inFlight: { id: other, phase: 'shifting', digest: digestA } },
      relB,
      target,
      taskDef,
      { ifBusy: 'supersede' },
    );
    const report = await runDeploy(plan, ports, harness().options);
    expect(ports.controller.calls).toEqual([`stop ${other}`, 'start', 'continue d-FAKE2']);
    expect(report).toMatchObject({ outcome: 'succeeded', deploymentId: 'd-FAKE2', previousDeploymentId: other });
  });

  it('waits for the other release to finish (without driving it), then deploys', async () => {
    const blueGreen = new FakeController([
      { phase: 'starting', green: 0 },
      { phase: 'shifting', green: 100 },
      { phase: 'finished', green: 100 },
    ]);
    const other = blueGreen.seed({ target, taskDefinitionArn: 'td-other', description: '' });
    const plan = planDeploy(
      { ...running, inFlight: { id: other, phase: 'shifting', digest: digestA } },
      relB,
      target,
      taskDef,
      { ifBusy: 'wait' },
    );
    const h = harness();
    const report = await runDeploy(plan, fakeDeployPorts({ controller: blueGreen, smoke: named('rel-b') }), h.options);
    expect(blueGreen.calls).toEqual(['start']);
    expect(report).toMatchObject({ outcome: 'succeeded', deploymentId: 'd-FAKE2', previousDeploymentId: other });
    expect(h.events.find((e) => e.type === 'waiting-for-other')).toMatchObject({ deploymentId: other });
  });

  it('keeps following through a few failed polls, but not through an API that keeps failing', async () => {
    class FlakyController extends FakeController {
      failures = 0;
      constructor(private readonly failEvery: number) {
        super();
      }
      override async status(id: string) {
        if (++this.failures % this.failEvery === 0)
          throw new ShipgateError(
            'AWS_ERROR',
            'CodeDeploy GetDeployment failed with ThrottlingException: Rate exceeded',
          );
        return super.status(id);
      }
    }
    const h = harness();
    const report = await runDeploy(
      planDeploy(running, relB, target, taskDef),
      fakeDeployPorts({ controller: new FlakyController(2), smoke: named('rel-b') }),
      h.options,
    );
    expect(report.outcome).toBe('succeeded');
    expect(h.events.filter((e) => e.type === 'poll-failed').length).toBeGreaterThan(0);
    const broken = await runDeploy(
      planDeploy(running, relB, target, taskDef),
      fakeDeployPorts({ controller: new FlakyController(1), smoke: named('rel-b') }),
      harness().options,
    ).catch((e: ShipgateError) => e);
    expect((broken as ShipgateError).code).toBe('AWS_ERROR');
  });
});
