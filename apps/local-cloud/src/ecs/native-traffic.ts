import { splitWeights } from '../bluegreen/index';
import type { NativeContext } from './native-context';
import type { Service } from './model';
import type { ServiceRevision } from './service-deployment-model';

/** The weights, in percent, one revision should get on the production and the test listener rule. */
export interface RevisionWeights {
  revision: ServiceRevision;
  production: number;
  test: number;
}

/**
 * Points the service's production and test listener rules at its revisions: each rule forwards to both the target
 * group and the alternate one (so both stay health-checked), weighted by the revisions in each. Requests that
 * arrive after this follow the new weights.
 */
export function routeTraffic(ctx: NativeContext, service: Service, weights: RevisionWeights[]): void {
  for (const lb of service.loadBalancers) {
    const adv = lb.advancedConfiguration;
    if (!adv) continue;
    const onAlternate = (pick: (w: RevisionWeights) => number) =>
      weights
        .filter((w) => w.revision.targetGroupArn === adv.alternateTargetGroupArn)
        .reduce((sum, w) => sum + pick(w), 0);
    ctx.rules.setRuleWeights(
      adv.productionListenerRule,
      splitWeights(
        lb.targetGroupArn,
        adv.alternateTargetGroupArn,
        onAlternate((w) => w.production),
      ),
    );
    if (adv.testListenerRule)
      ctx.rules.setRuleWeights(
        adv.testListenerRule,
        splitWeights(
          lb.targetGroupArn,
          adv.alternateTargetGroupArn,
          onAlternate((w) => w.test),
        ),
      );
  }
  for (const w of weights) {
    w.revision.productionWeight = w.production;
    w.revision.testWeight = w.test;
  }
}
