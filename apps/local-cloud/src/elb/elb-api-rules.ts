import { AwsError } from '../contract';
import type { QueryOperationHandler } from '../server/query-protocol';
import { readForwardAction } from './elb-api-load-balancers';
import type { Elb } from './elb';
import { ruleView } from './elb-views';
import type { Listener, ListenerRule, RuleCondition } from './model';
import { QueryInput, missing, pageOf } from './query-input';

// AWS's quotas: 100 rules per Application Load Balancer listener (default quota), 5 condition values per rule.
const MAX_RULES = 100;
const MAX_CONDITION_VALUES = 5;
const FIELDS = ['path-pattern', 'host-header', 'http-header', 'http-request-method', 'query-string'];

/** Reads `Conditions` of a rule: path, host, header, method and query-string conditions with AWS's limits. */
export function readConditions(q: QueryInput): RuleCondition[] {
  const list = q.objList('Conditions');
  if (!list) throw missing('Conditions');
  const out = list.map((c): RuleCondition => {
    const field = c.reqStr('Field');
    if (field === 'source-ip')
      throw new AwsError('ValidationError', `Condition field 'source-ip' is not supported by local-cloud`);
    if (!FIELDS.includes(field))
      throw new AwsError(
        'ValidationError',
        `Condition field '${field}' must be one of '[http-header, http-request-method, host-header, path-pattern, query-string, source-ip]'`,
      );
    const values = (name: string): string[] => {
      const v = c.obj(name)?.strList('Values') ?? c.strList('Values') ?? [];
      if (v.length === 0) throw new AwsError('ValidationError', `A condition value must be specified for '${field}'`);
      return v;
    };
    switch (field) {
      case 'path-pattern':
        return { field, values: values('PathPatternConfig') };
      case 'host-header':
        return { field, values: values('HostHeaderConfig') };
      case 'http-request-method':
        return { field, values: values('HttpRequestMethodConfig') };
      case 'http-header': {
        const config = c.obj('HttpHeaderConfig');
        const headerName = config?.str('HttpHeaderName');
        if (!config || !headerName)
          throw new AwsError('ValidationError', "An HTTP header name must be specified for 'http-header'");
        return { field, headerName, values: values('HttpHeaderConfig') };
      }
      default: {
        const pairs = (c.obj('QueryStringConfig')?.objList('Values') ?? []).map((p) => ({
          key: p.str('Key'),
          value: p.reqStr('Value'),
        }));
        if (pairs.length === 0)
          throw new AwsError('ValidationError', "A condition value must be specified for 'query-string'");
        return { field: 'query-string', pairs };
      }
    }
  });
  const count = out.reduce((n, c) => n + (c.field === 'query-string' ? c.pairs.length : c.values.length), 0);
  if (count > MAX_CONDITION_VALUES)
    throw new AwsError('TooManyConditionValues', `A rule can have at most ${MAX_CONDITION_VALUES} condition values`);
  if (out.length === 0) throw new AwsError('ValidationError', 'A rule must have at least one condition');
  return out;
}

function readPriority(q: QueryInput, name: string): number {
  const priority = q.int(name, 1, 50000);
  if (priority === undefined) throw missing(name);
  return priority;
}

function checkPriorityFree(listener: Listener, priority: number): void {
  if (listener.rules.some((r) => r.priority === priority))
    throw new AwsError('PriorityInUse', `Priority '${priority}' is currently in use`);
}

/** CreateRule, DescribeRules, ModifyRule, DeleteRule and SetRulePriorities of ELBv2. */
export function ruleOperations(elb: Elb): Record<string, QueryOperationHandler> {
  return {
    CreateRule(params) {
      const q = new QueryInput(params);
      const listener = elb.listener(q.reqStr('ListenerArn'));
      const priority = readPriority(q, 'Priority');
      const conditions = readConditions(q);
      const { forward, simple } = readForwardAction(elb, elb.loadBalancer(listener.loadBalancerArn), q, 'Actions');
      checkPriorityFree(listener, priority);
      if (listener.rules.length >= MAX_RULES)
        throw new AwsError('TooManyRules', `A listener can have at most ${MAX_RULES} rules`);
      const rule: ListenerRule = {
        arn: elb.ruleArn(listener.arn),
        listenerArn: listener.arn,
        priority,
        conditions,
        forward,
        simpleForward: simple,
      };
      elb.addRule(listener, rule);
      return { Rules: [ruleView(listener, rule)] };
    },

    DescribeRules(params) {
      const q = new QueryInput(params);
      const arns = q.strList('RuleArns');
      const listenerArn = q.str('ListenerArn');
      let rules: Record<string, unknown>[];
      if (arns?.length) {
        rules = arns.map((arn) => {
          const { listener, rule } = elb.rule(arn);
          return ruleView(listener, rule);
        });
      } else if (listenerArn !== undefined) {
        const listener = elb.listener(listenerArn);
        rules = [...listener.rules.map((r) => ruleView(listener, r)), ruleView(listener, undefined)];
      } else {
        throw new AwsError('ValidationError', 'You must specify either listener ARN or rule ARNs');
      }
      const { page, nextMarker } = pageOf(rules, q);
      return { Rules: page, NextMarker: nextMarker };
    },

    ModifyRule(params) {
      const q = new QueryInput(params);
      const { listener, rule } = elb.rule(q.reqStr('RuleArn'));
      const lb = elb.loadBalancer(listener.loadBalancerArn);
      if (!rule) {
        // The default rule has no conditions; its actions are the listener's default actions.
        if (q.params.Conditions !== undefined)
          throw new AwsError('OperationNotPermitted', 'Conditions cannot be specified for a default rule');
        if (q.params.Actions !== undefined) {
          const { forward, simple } = readForwardAction(elb, lb, q, 'Actions');
          elb.setForward(listener, forward, simple);
        }
        return { Rules: [ruleView(listener, undefined)] };
      }
      const conditions = q.params.Conditions !== undefined ? readConditions(q) : undefined;
      const action = q.params.Actions !== undefined ? readForwardAction(elb, lb, q, 'Actions') : undefined;
      if (conditions) rule.conditions = conditions;
      if (action) elb.setRuleForward(rule, action.forward, action.simple);
      return { Rules: [ruleView(listener, rule)] };
    },

    DeleteRule(params) {
      const { listener, rule } = elb.rule(new QueryInput(params).reqStr('RuleArn'));
      if (!rule) throw new AwsError('OperationNotPermitted', 'Default rule cannot be deleted');
      elb.removeRule(listener, rule);
      return {};
    },

    SetRulePriorities(params) {
      const q = new QueryInput(params);
      const list = q.objList('RulePriorities');
      if (!list) throw missing('RulePriorities');
      const changes = list.map((p) => {
        const { listener, rule } = elb.rule(p.reqStr('RuleArn'));
        if (!rule) throw new AwsError('OperationNotPermitted', 'Default rule priority cannot be modified');
        return { listener, rule, priority: readPriority(p, 'Priority') };
      });
      // The priorities after the change must be unique per listener, counting rules not named in the call.
      for (const c of changes) {
        const named = new Set(changes.filter((o) => o.listener === c.listener).map((o) => o.rule));
        const clash =
          changes.some((o) => o !== c && o.listener === c.listener && o.priority === c.priority) ||
          c.listener.rules.some((r) => !named.has(r) && r.priority === c.priority);
        if (clash) throw new AwsError('PriorityInUse', `Priority '${c.priority}' is currently in use`);
      }
      elb.setPriorities(changes);
      return { Rules: changes.map((c) => ruleView(c.listener, c.rule)) };
    },
  };
}
