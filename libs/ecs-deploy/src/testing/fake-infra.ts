import type {
  DeploymentGroupSpec,
  EcsServiceSettings,
  EcsServiceSpec,
  ForwardWeight,
  InfraPort,
  ListenerRuleView,
  ListenerView,
  TargetGroupSpec,
  TargetGroupView,
} from '../infra-port';
import { strategyOfRouting } from '../bootstrap-ecs-native';

/** An in-memory account for bootstrap's pure decisions: records every create and update it is asked for. */
export class FakeInfra implements InfraPort {
  readonly calls: string[] = [];
  clusters = new Set<string>();
  loadBalancers = new Map<string, { arn: string; dnsName: string }>();
  targetGroups = new Map<string, TargetGroupView>();
  listeners: (ListenerView & { lb: string })[] = [];
  services = new Map<
    string,
    { taskDefinitionArn?: string; desiredCount: number; controller?: string; ecs?: EcsServiceSettings }
  >();
  rules = new Map<string, ListenerRuleView[]>();
  /** CodeDeploy deployments in flight, by `application/group`. */
  inFlight = new Map<string, string>();
  applications = new Set<string>();
  groups = new Map<string, DeploymentGroupSpec>();
  alarms = new Set<string>();

  async clusterExists(name: string) {
    return this.clusters.has(name);
  }
  async createCluster(name: string) {
    this.calls.push(`createCluster ${name}`);
    this.clusters.add(name);
  }
  async describeLoadBalancer(name: string) {
    return this.loadBalancers.get(name);
  }
  async createLoadBalancer(name: string) {
    this.calls.push(`createLoadBalancer ${name}`);
    const lb = { arn: `arn:lb/${name}`, dnsName: `${name}.example` };
    this.loadBalancers.set(name, lb);
    return lb;
  }
  async describeTargetGroup(name: string) {
    return this.targetGroups.get(name);
  }
  async createTargetGroup(spec: TargetGroupSpec, network: { vpcId?: string }) {
    this.calls.push(`createTargetGroup ${spec.name} in ${network.vpcId}`);
    const tg = { ...spec, arn: `arn:tg/${spec.name}` };
    this.targetGroups.set(spec.name, tg);
    return tg;
  }
  async updateTargetGroup(arn: string, spec: TargetGroupSpec) {
    this.calls.push(`updateTargetGroup ${spec.name}`);
    this.targetGroups.set(spec.name, { ...spec, arn });
  }
  async describeListeners(lbArn: string) {
    return this.listeners.filter((l) => l.lb === lbArn);
  }
  async createListener(lbArn: string, port: number, tgArn: string) {
    this.calls.push(`createListener ${port} → ${tgArn}`);
    const l = { lb: lbArn, arn: `arn:listener/${port}`, port, targetGroupArns: [tgArn] };
    this.listeners.push(l);
    this.rules.set(l.arn, [
      {
        arn: `${l.arn}/default`,
        priority: 'default',
        isDefault: true,
        forward: [{ targetGroupArn: tgArn, weight: 1 }],
      },
    ]);
    return l;
  }
  async describeListenerRules(listenerArn: string) {
    return this.rules.get(listenerArn) ?? [];
  }
  async createListenerRule(listenerArn: string, priority: number, forward: ForwardWeight[]) {
    this.calls.push(
      `createListenerRule ${listenerArn} ${priority}: ${forward.map((f) => `${f.targetGroupArn}=${f.weight}`).join(' ')}`,
    );
    const rule = { arn: `${listenerArn}/rule/${priority}`, priority: String(priority), isDefault: false, forward };
    this.rules.set(listenerArn, [...(this.rules.get(listenerArn) ?? []), rule]);
    return rule;
  }
  private ecsSettings(
    spec: Omit<EcsServiceSpec, 'resources'>,
    resources?: EcsServiceSpec['resources'],
  ): EcsServiceSettings {
    return {
      strategy: strategyOfRouting(spec.routing),
      pauseStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
      bakeTimeInMinutes: 0,
      alarms: [...spec.target.deploy.alarms],
      ...(resources ? { resources } : {}),
    };
  }
  async migrateServiceToEcs(spec: EcsServiceSpec) {
    this.calls.push(`migrateServiceToEcs ${spec.target.ecsService}`);
    const s = this.services.get(`${spec.target.cluster}/${spec.target.ecsService}`)!;
    Object.assign(s, { controller: 'ECS', ecs: this.ecsSettings(spec, spec.resources) });
  }
  async updateEcsDeploymentConfiguration(spec: Omit<EcsServiceSpec, 'resources'>) {
    this.calls.push(`updateEcsDeploymentConfiguration ${spec.target.ecsService}`);
    const s = this.services.get(`${spec.target.cluster}/${spec.target.ecsService}`)!;
    s.ecs = { ...this.ecsSettings(spec), ...(s.ecs?.resources ? { resources: s.ecs.resources } : {}) };
  }
  async activeCodeDeployDeployment(application: string, group: string) {
    return this.inFlight.get(`${application}/${group}`);
  }
  async describeService(cluster: string, service: string) {
    return this.services.get(`${cluster}/${service}`);
  }
  async createService(spec: {
    cluster: string;
    service: string;
    taskDefinitionArn: string;
    desiredCount: number;
    ecs?: EcsServiceSpec;
  }) {
    this.calls.push(`createService ${spec.service} with ${spec.taskDefinitionArn}${spec.ecs ? ' (ECS)' : ''}`);
    this.services.set(`${spec.cluster}/${spec.service}`, {
      taskDefinitionArn: spec.taskDefinitionArn,
      desiredCount: spec.desiredCount,
      controller: spec.ecs ? 'ECS' : 'CODE_DEPLOY',
      ...(spec.ecs ? { ecs: this.ecsSettings(spec.ecs, spec.ecs.resources) } : {}),
    });
  }
  async updateDesiredCount(cluster: string, service: string, desiredCount: number) {
    this.calls.push(`updateDesiredCount ${desiredCount}`);
    this.services.get(`${cluster}/${service}`)!.desiredCount = desiredCount;
  }
  async applicationExists(name: string) {
    return this.applications.has(name);
  }
  async createApplication(name: string) {
    this.calls.push(`createApplication ${name}`);
    this.applications.add(name);
  }
  async describeDeploymentGroup(app: string, group: string) {
    return this.groups.get(`${app}/${group}`);
  }
  async createDeploymentGroup(spec: DeploymentGroupSpec) {
    this.calls.push(`createDeploymentGroup ${spec.deploymentGroup}`);
    this.groups.set(`${spec.application}/${spec.deploymentGroup}`, spec);
  }
  async updateDeploymentGroup(spec: DeploymentGroupSpec) {
    this.calls.push(`updateDeploymentGroup ${spec.deploymentGroup}`);
    this.groups.set(`${spec.application}/${spec.deploymentGroup}`, spec);
  }
  async existingAlarms(names: string[]) {
    return names.filter((n) => this.alarms.has(n));
  }
  async createAlarm(name: string) {
    this.calls.push(`createAlarm ${name}`);
    this.alarms.add(name);
  }
}
