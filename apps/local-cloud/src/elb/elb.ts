import { UpstreamPool } from './upstream-pool';
import { seededRandom, type Random } from '@shipgate/model';
import { AwsError, type WeightedTargetGroup } from '../contract';
import { hexId } from '../ids';
import { startHealthLoop } from './health-checker';
import { startListenerServer } from './listener-proxy';
import type { RequestHead } from './http1-parse';
import {
  targetKey,
  type HealthCheckConfig,
  type LoadBalancer,
  type Listener,
  type ListenerRule,
  type Target,
  type TargetGroup,
} from './model';
import { ruleMatches } from './rule-match';
import { applyCheckResult, markUnused, resetToInitial, setState, type CheckResult } from './target-health';
import { SubnetVpcs } from './subnet-vpcs';

/** Options of the load-balancing half. */
export interface ElbOptions {
  accountId: string;
  /** Listeners bind `Port + listenerPortOffset` on this host (a free port when that one is taken). */
  listenerHost: string;
  listenerPortOffset: number;
  seed: number;
  /** Fault injection: a forced health-check outcome for a target (e.g. an image that never gets healthy). */
  healthOverride?: (targetId: string, port: number) => CheckResult | undefined;
}

/** Elastic Load Balancing v2 state: load balancers, target groups, targets with real health checks, listeners. */
export class Elb {
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly listeners = new Map<string, Listener>();
  /** Which VPC each subnet is in, as the calls so far tell it. */
  readonly subnetVpcs = new SubnetVpcs();
  private random: Random;
  private closed = false;

  constructor(readonly options: ElbOptions) {
    this.random = seededRandom(options.seed);
  }

  /** ARN prefix for a region. */
  arnPrefix(region: string): string {
    return `arn:aws:elasticloadbalancing:${region}:${this.options.accountId}`;
  }

  /** The target group, or TargetGroupNotFound. */
  targetGroup(arn: string): TargetGroup {
    const tg = this.targetGroups.get(arn);
    if (!tg) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    return tg;
  }

  /** The listener, or ListenerNotFound. */
  listener(arn: string): Listener {
    const listener = this.listeners.get(arn);
    if (!listener) throw new AwsError('ListenerNotFound', `One or more listeners not found`);
    return listener;
  }

  /** The load balancer, or LoadBalancerNotFound. */
  loadBalancer(arn: string): LoadBalancer {
    const lb = this.loadBalancers.get(arn);
    if (!lb) throw new AwsError('LoadBalancerNotFound', `One or more load balancers not found`);
    return lb;
  }

  /** Whether some listener or listener rule forwards to this target group (else its targets are `unused`). */
  inUse(tgArn: string): boolean {
    for (const listener of this.listeners.values()) if (forwardsTo(listener, tgArn)) return true;
    return false;
  }

  /** Load balancers whose listeners (or their rules) forward to this group. */
  loadBalancersOf(tgArn: string): string[] {
    const out = new Set<string>();
    for (const listener of this.listeners.values()) if (forwardsTo(listener, tgArn)) out.add(listener.loadBalancerArn);
    return [...out];
  }

  /** The listener rule (default rules included, as `rule: undefined`), or RuleNotFound. */
  rule(arn: string): { listener: Listener; rule: ListenerRule | undefined } {
    for (const listener of this.listeners.values()) {
      if (listener.defaultRuleArn === arn) return { listener, rule: undefined };
      const rule = listener.rules.find((r) => r.arn === arn);
      if (rule) return { listener, rule };
    }
    throw new AwsError('RuleNotFound', 'One or more rules not found');
  }

  /** Adds a rule to its listener (kept in priority order). */
  addRule(listener: Listener, rule: ListenerRule): void {
    listener.rules.push(rule);
    sortRules(listener);
    this.refreshUsage();
  }

  /** Replaces a rule's forward action (requests that arrive after this follow the new weights). */
  setRuleForward(rule: ListenerRule, forward: WeightedTargetGroup[], simpleForward: boolean): void {
    rule.forward = forward;
    rule.simpleForward = simpleForward;
    this.refreshUsage();
  }

  /** Sets rules' priorities at once (the caller checked they stay unique). */
  setPriorities(changes: { listener: Listener; rule: ListenerRule; priority: number }[]): void {
    for (const c of changes) c.rule.priority = c.priority;
    for (const listener of new Set(changes.map((c) => c.listener))) sortRules(listener);
  }

  /** Removes a rule from its listener. */
  removeRule(listener: Listener, rule: ListenerRule): void {
    listener.rules = listener.rules.filter((r) => r !== rule);
    this.refreshUsage();
  }

  /** Starts a listener's HTTP server and records it. */
  async addListener(
    region: string,
    lb: LoadBalancer,
    port: number,
    protocol: string,
    forward: WeightedTargetGroup[],
    simpleForward: boolean,
  ): Promise<Listener> {
    const path = `${lb.type === 'network' ? 'net' : 'app'}/${lb.name}/${lb.arn.split('/').pop()}/${hexId(16)}`;
    const arn = `${this.arnPrefix(region)}:listener/${path}`;
    const listener: Listener = {
      arn,
      loadBalancerArn: lb.arn,
      port,
      protocol,
      forward,
      simpleForward,
      rules: [],
      defaultRuleArn: this.ruleArn(arn),
      localPort: 0,
      close: async () => {},
    };
    const server = await startListenerServer(
      this.options.listenerHost,
      port + this.options.listenerPortOffset,
      port,
      (head) => this.route(listener, head),
    );
    listener.localPort = server.localPort;
    listener.close = () => server.close();
    this.listeners.set(arn, listener);
    this.refreshUsage();
    return listener;
  }

  /** A new rule ARN under a listener (`listener-rule/app/<lb>/<lb id>/<listener id>/<rule id>`). */
  ruleArn(listenerArn: string): string {
    return `${listenerArn.replace(':listener/', ':listener-rule/')}/${hexId(16)}`;
  }

  /** Replaces a listener's forward action (requests that arrive after this follow the new weights). */
  setForward(listener: Listener, forward: WeightedTargetGroup[], simpleForward: boolean): void {
    listener.forward = forward;
    listener.simpleForward = simpleForward;
    this.refreshUsage();
  }

  /** Removes a listener and stops its server. */
  async removeListener(arn: string): Promise<void> {
    const listener = this.listener(arn);
    this.listeners.delete(arn);
    await listener.close();
    this.refreshUsage();
  }

  /** Registers a target; health checks start at once when a listener uses the group. Re-registering is a no-op, as in AWS. */
  registerTarget(tg: TargetGroup, id: string, port: number): Target {
    const key = targetKey(id, port);
    const existing = tg.targets.get(key);
    if (existing && existing.state !== 'draining') return existing;
    if (existing) this.finishRemoval(tg, existing);
    let markRemoved = () => {};
    const removed = new Promise<void>((resolve) => (markRemoved = resolve));
    const target: Target = {
      id,
      port,
      state: 'initial',
      reason: undefined,
      description: undefined,
      consecutiveOk: 0,
      consecutiveFail: 0,
      inFlight: 0,
      pool: new UpstreamPool('127.0.0.1', port),
      stopChecks: undefined,
      removed,
      markRemoved: () => {},
      drainTimer: undefined,
    };
    target.markRemoved = () => {
      this.finishRemoval(tg, target);
      markRemoved();
    };
    tg.targets.set(key, target);
    this.startChecks(tg, target);
    return target;
  }

  /** Deregisters a target: it gets no new requests, in-flight ones finish, and it leaves after the deregistration delay (or once idle). */
  deregisterTarget(tg: TargetGroup, id: string, port: number): Promise<void> {
    const target = tg.targets.get(targetKey(id, port));
    if (!target) return Promise.resolve();
    if (target.state === 'draining') return target.removed;
    target.stopChecks?.();
    target.stopChecks = undefined;
    if (!this.inUse(tg.arn) || target.inFlight === 0) {
      target.markRemoved();
      return target.removed;
    }
    setState(target, 'draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress');
    const delaySeconds = Number(tg.attributes.get('deregistration_delay.timeout_seconds') ?? '300');
    target.drainTimer = setTimeout(() => target.markRemoved(), delaySeconds * 1000);
    return target.removed;
  }

  /** Stops every listener and health check. */
  async close(): Promise<void> {
    this.closed = true;
    for (const tg of this.targetGroups.values()) for (const target of [...tg.targets.values()]) target.markRemoved();
    await Promise.all([...this.listeners.values()].map((l) => l.close()));
    this.listeners.clear();
  }

  /** Starts or stops health checks as listeners come to use target groups or stop using them. */
  refreshUsage(): void {
    for (const tg of this.targetGroups.values()) {
      const used = this.inUse(tg.arn);
      for (const target of tg.targets.values()) {
        if (target.state === 'draining') continue;
        if (!used) {
          target.stopChecks?.();
          target.stopChecks = undefined;
          markUnused(target);
        } else if (!target.stopChecks) {
          this.startChecks(tg, target);
        }
      }
    }
  }

  /** Restarts health checks of a group's targets with a changed configuration. */
  restartChecks(tg: TargetGroup): void {
    for (const target of tg.targets.values()) {
      if (!target.stopChecks) continue;
      target.stopChecks();
      target.stopChecks = undefined;
      this.startChecks(tg, target, false);
    }
  }

  private startChecks(tg: TargetGroup, target: Target, reset = true): void {
    if (this.closed) return;
    if (!this.inUse(tg.arn)) return markUnused(target);
    if (reset) resetToInitial(target);
    if (!tg.healthCheck.enabled)
      return setState(target, 'unavailable', 'Target.HealthCheckDisabled', 'Health checks are disabled');
    const checkPort = (cfg: HealthCheckConfig) => (cfg.port === 'traffic-port' ? target.port : Number(cfg.port));
    target.stopChecks = startHealthLoop(
      () => checkPort(tg.healthCheck),
      () => tg.healthCheck,
      (result) => applyCheckResult(target, result, tg.healthCheck),
      () => this.options.healthOverride?.(target.id, target.port),
    );
  }

  private finishRemoval(tg: TargetGroup, target: Target): void {
    target.stopChecks?.();
    target.stopChecks = undefined;
    clearTimeout(target.drainTimer);
    if (tg.targets.get(targetKey(target.id, target.port)) === target)
      tg.targets.delete(targetKey(target.id, target.port));
    target.pool.destroy();
  }

  /**
   * Chooses the forward action of the first rule (by priority) whose conditions the request meets,
   * else the default action; then a target group by weight, then a target of it (healthy first; all
   * unhealthy → fail open, as an ALB does). Runs for every proxied request: without rules it allocates nothing.
   */
  private route(listener: Listener, head: RequestHead): { target: Target } | { status: 503 } {
    let forward = listener.forward;
    for (const rule of listener.rules)
      if (ruleMatches(rule, head)) {
        forward = rule.forward;
        break;
      }
    let total = 0;
    for (const f of forward) if (f.weight > 0) total += f.weight;
    if (total === 0) return { status: 503 };
    let draw = this.random.next() * total;
    let chosen: WeightedTargetGroup | undefined;
    for (const f of forward) {
      if (f.weight <= 0) continue;
      chosen = f;
      if (draw < f.weight) break;
      draw -= f.weight;
    }
    const tg = this.targetGroups.get(chosen!.targetGroupArn);
    if (!tg) return { status: 503 };
    const target = pickTarget(tg, routable) ?? pickTarget(tg, failOpen);
    return target ? { target } : { status: 503 };
  }
}

function forwardsTo(listener: Listener, tgArn: string): boolean {
  if (listener.forward.some((f) => f.targetGroupArn === tgArn)) return true;
  return listener.rules.some((r) => r.forward.some((f) => f.targetGroupArn === tgArn));
}

function sortRules(listener: Listener): void {
  listener.rules.sort((a, b) => a.priority - b.priority);
}

const routable = (t: Target) => t.state === 'healthy' || t.state === 'unavailable';
const failOpen = (t: Target) => t.state === 'unhealthy';

/** The next target in round-robin order among those `eligible` accepts, or undefined when there is none. */
function pickTarget(tg: TargetGroup, eligible: (t: Target) => boolean): Target | undefined {
  let count = 0;
  for (const t of tg.targets.values()) if (eligible(t)) count++;
  if (count === 0) return undefined;
  tg.roundRobin = (tg.roundRobin + 1) % count;
  let index = 0;
  for (const t of tg.targets.values()) if (eligible(t) && index++ === tg.roundRobin) return t;
  return undefined;
}
