import { AwsError, type ElbControl, type ElbRuleControl, type WeightedTargetGroup } from '../contract';
import type { Elb } from './elb';

/** ElbControl over the same state the ELBv2 API serves. */
export function createElbControl(elb: Elb): ElbControl & ElbRuleControl {
  const checked = (targetGroups: WeightedTargetGroup[]): WeightedTargetGroup[] => {
    for (const tg of targetGroups) elb.targetGroup(tg.targetGroupArn);
    if (targetGroups.length === 0)
      throw new AwsError('ValidationError', 'A forward action needs at least one target group');
    return targetGroups.map((t) => ({ ...t }));
  };
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
      elb.setForward(listener, checked(targetGroups), false);
    },
    getRule(ruleArn) {
      let found;
      try {
        found = elb.rule(ruleArn);
      } catch {
        return undefined;
      }
      const forward = found.rule ? found.rule.forward : found.listener.forward;
      return { ruleArn, listenerArn: found.listener.arn, targetGroups: forward.map((f) => ({ ...f })) };
    },
    setRuleWeights(ruleArn, targetGroups) {
      const { listener, rule } = elb.rule(ruleArn);
      if (rule) elb.setRuleForward(rule, checked(targetGroups), false);
      else elb.setForward(listener, checked(targetGroups), false);
    },
  };
}
