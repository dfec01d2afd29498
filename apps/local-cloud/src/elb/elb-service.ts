import type { QueryServiceBinding } from '../server/query-protocol';
import { Elb, type ElbOptions } from './elb';
import { loadBalancerOperations } from './elb-api-load-balancers';
import { ruleOperations } from './elb-api-rules';
import { targetGroupOperations } from './elb-api-target-groups';

/** The ELBv2 Query service binding over an Elb state. */
export function elbBinding(elb: Elb, defaultRegion: string, fastHealthChecks: boolean): QueryServiceBinding {
  return {
    name: 'elbv2',
    version: '2015-12-01',
    xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    api: {
      ...loadBalancerOperations(elb, defaultRegion),
      ...targetGroupOperations(elb, defaultRegion, fastHealthChecks),
      ...ruleOperations(elb),
    },
  };
}

export { Elb, type ElbOptions };
