import type { DeployEvent } from '@shipgate/ecs-deploy';
import { ManualClock, type DeploymentProgress } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { progressRecorder } from './progress-recorder';

const at = { elapsedMs: 0, budgetMs: 60_000, deploymentId: 'd-1' };
const status = (phase: 'verifying' | 'shifting' | 'baking'): DeployEvent => ({
  ...at,
  type: 'status',
  phase,
  status: 'InProgress',
});
const traffic = (green: number): DeployEvent => ({ ...at, type: 'traffic', blue: 100 - green, green });

/** A recorder over a write we settle by hand and timers we fire by hand. */
function setup() {
  const clock = new ManualClock();
  const writes: { progress: DeploymentProgress; settle: (error?: Error) => void }[] = [];
  const timers: { fn: () => void; at: number; cancelled: boolean }[] = [];
  const failures: unknown[] = [];
  const recorder = progressRecorder({
    clock,
    minIntervalMs: 3_000,
    write: (progress) =>
      new Promise<void>((resolve, reject) =>
        writes.push({ progress, settle: (error) => (error ? reject(error) : resolve()) }),
      ),
    onWriteFailed: (error) => failures.push(error),
    setTimer: (fn, ms) => {
      const t = { fn, at: clock.now().getTime() + ms, cancelled: false };
      timers.push(t);
      return () => void (t.cancelled = true);
    },
  });
  const fireDue = () => {
    const due = timers.filter((t) => !t.cancelled && t.at <= clock.now().getTime());
    timers.splice(0, timers.length, ...timers.filter((t) => !due.includes(t)));
    for (const t of due) t.fn();
  };
  const settle = async (error?: Error) => {
    writes.at(-1)!.settle(error);
    await new Promise((r) => setImmediate(r));
  };
  return { clock, writes, timers, failures, recorder, fireDue, settle };
}

describe('progressRecorder (#16: a deployment in flight in the ledger)', () => {
  it('writes a new phase at once and traffic changes at most every 3 s, one write at a time', async () => {
    const { clock, writes, recorder, fireDue, settle } = setup();
    recorder.observe(status('verifying'));
    expect(writes.map((w) => w.progress.phase)).toEqual(['verifying']);
    recorder.observe(status('shifting')); // a write is under way: waits for it
    expect(writes).toHaveLength(1);
    await settle();
    expect(writes.map((w) => w.progress.phase)).toEqual(['verifying', 'shifting']);
    await settle();
    for (const green of [10, 20, 30]) {
      clock.advance(1_000);
      recorder.observe(traffic(green));
      fireDue();
      // 1 s and 2 s after the last write: held back; at 3 s: written.
      expect(writes).toHaveLength(green === 30 ? 3 : 2);
    }
    expect(writes.at(-1)!.progress).toMatchObject({ phase: 'shifting', traffic: { blue: 70, green: 30 } });
    await settle();
    recorder.observe(traffic(30)); // no change: no write
    clock.advance(1_000);
    recorder.observe(traffic(40));
    fireDue();
    expect(writes).toHaveLength(3);
    clock.advance(2_000);
    fireDue();
    expect(writes.at(-1)!.progress.traffic).toEqual({ blue: 60, green: 40 });
    expect(writes).toHaveLength(4);
  });

  it('reports a failed write once, never throws, and writes nothing after stop', async () => {
    const { clock, writes, failures, recorder, fireDue, settle } = setup();
    recorder.observe(status('verifying'));
    await settle(new Error('ledger unreachable'));
    recorder.observe(status('shifting'));
    await settle(new Error('ledger unreachable'));
    expect(failures).toHaveLength(1);
    recorder.observe(traffic(50));
    await recorder.stop();
    clock.advance(10_000);
    fireDue();
    recorder.observe(status('baking'));
    expect(writes).toHaveLength(2);
    expect(recorder.latest()).toMatchObject({ phase: 'shifting', traffic: { blue: 50, green: 50 } });
  });
});
