import type { WeightedTargetGroup } from '../contract';

/** One step of a production traffic shift: set the replacement's weight, then wait (in cloud-time minutes). */
export interface TrafficStep {
  replacementPercent: number;
  waitMinutesAfter: number;
}

/** How production traffic moves to the replacement, in the words both CodeDeploy and ECS-native share. */
export type ShiftPlan =
  | { type: 'all-at-once' }
  | { type: 'canary'; percent: number; waitMinutes: number }
  | { type: 'linear'; percent: number; waitMinutes: number };

/**
 * The weights production traffic goes through, in order; the last step always reaches 100 and has no wait after it.
 * Percentages are counted in tenths so that ECS's 0.1-multiples add up without floating-point drift.
 */
export function shiftSteps(plan: ShiftPlan): TrafficStep[] {
  switch (plan.type) {
    case 'all-at-once':
      return [{ replacementPercent: 100, waitMinutesAfter: 0 }];
    case 'canary':
      return [
        { replacementPercent: plan.percent, waitMinutesAfter: plan.waitMinutes },
        { replacementPercent: 100, waitMinutesAfter: 0 },
      ];
    case 'linear': {
      const steps: TrafficStep[] = [];
      const stepTenths = Math.round(plan.percent * 10);
      for (let tenths = stepTenths; tenths < 1000; tenths += stepTenths)
        steps.push({ replacementPercent: tenths / 10, waitMinutesAfter: plan.waitMinutes });
      steps.push({ replacementPercent: 100, waitMinutesAfter: 0 });
      return steps;
    }
  }
}

/**
 * A forward action that sends `replacementPercent` of requests to `green` and the rest to `blue`. ELBv2 weights are
 * integers up to 999, so a fractional percentage is expressed in tenths.
 */
export function splitWeights(blue: string, green: string, replacementPercent: number): WeightedTargetGroup[] {
  const tenths = !Number.isInteger(replacementPercent) && replacementPercent > 0 && replacementPercent < 100;
  const scale = tenths ? 10 : 1;
  const greenWeight = Math.round(replacementPercent * scale);
  return [
    { targetGroupArn: blue, weight: 100 * scale - greenWeight },
    { targetGroupArn: green, weight: greenWeight },
  ];
}

/** Where a blue/green controller moves traffic: a listener's default action or a listener rule's action. */
export interface TrafficRoute {
  arn: string;
  get(): WeightedTargetGroup[] | undefined;
  set(targetGroups: WeightedTargetGroup[]): void;
}
