import { AwsError, type ElbControl, type WeightedTargetGroup } from '../contract';
import type { Elb } from './elb';

/** ElbControl over the same state the ELBv2 API serves. */
export function createElbControl(elb: Elb): ElbControl {
  return {
    findTargetGroupByName(name) {
      for (const tg of elb.targetGroups.values())
        if (tg.name === name) return { targetGroupArn: tg.arn, name: tg.name };
      return undefined;
    },
    getListener(listenerArn) {
      const listener = elb.listeners.get(listenerArn);
      if (!listener) return undefined;
      return { listenerArn, port: listener.port, targetGroups: listener.forward.map((f) => ({ ...f })) };
    },
    setListenerWeights(listenerArn: string, targetGroups: WeightedTargetGroup[]) {
      const listener = elb.listener(listenerArn);
      for (const tg of targetGroups) elb.targetGroup(tg.targetGroupArn);
      if (targetGroups.length === 0)
        throw new AwsError('ValidationError', 'A forward action needs at least one target group');
      elb.setForward(
        listener,
        targetGroups.map((t) => ({ ...t })),
        false,
      );
    },
  };
}
