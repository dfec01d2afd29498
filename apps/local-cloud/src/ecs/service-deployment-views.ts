import type { Ecs } from './ecs';
import type { Service } from './model';
import type { ServiceDeployment, ServiceRevision } from './service-deployment-model';
import type { ServiceDeployments } from './service-deployments';

function taskCounts(ecs: Ecs, revision: ServiceRevision): Record<string, number> {
  const group = revision.service.groups.find((g) => g.arn === revision.taskSetArn);
  const live = group ? group.tasks.filter((t) => t.desiredStatus === 'RUNNING') : [];
  return {
    requestedTaskCount: group ? ecs.desiredOf(revision.service, group) : 0,
    runningTaskCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTaskCount: live.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING').length,
  };
}

/** A revision as a deployment summarizes it (ServiceRevisionSummary). */
export function revisionSummaryView(ecs: Ecs, revision: ServiceRevision): Record<string, unknown> {
  return {
    arn: revision.arn,
    ...taskCounts(ecs, revision),
    requestedTestTrafficWeight: revision.testWeight,
    requestedProductionTrafficWeight: revision.productionWeight,
  };
}

/** A deployment as DescribeServiceDeployments answers it. */
export function serviceDeploymentView(ecs: Ecs, dep: ServiceDeployment): Record<string, unknown> {
  return {
    serviceDeploymentArn: dep.arn,
    serviceArn: dep.service.arn,
    clusterArn: dep.service.clusterArn,
    createdAt: dep.createdAt,
    startedAt: dep.startedAt,
    finishedAt: dep.finishedAt,
    stoppedAt: dep.stoppedAt,
    updatedAt: dep.updatedAt,
    sourceServiceRevisions: dep.source.map((r) => revisionSummaryView(ecs, r)),
    targetServiceRevision: revisionSummaryView(ecs, dep.target),
    status: dep.status,
    statusReason: dep.statusReason,
    lifecycleStage: dep.lifecycleStage,
    lifecycleHookDetails: dep.hooks.map((h) => ({
      hookId: h.hookId,
      targetType: h.targetType,
      targetArn: h.targetArn,
      status: h.status,
      expiresAt: h.expiresAt,
      timeoutAction: h.timeoutAction,
    })),
    deploymentConfiguration: dep.configuration,
    rollback: dep.rollback,
    deploymentCircuitBreaker: dep.circuitBreaker,
    alarms: dep.alarms,
  };
}

/** A deployment as ListServiceDeployments answers it (ServiceDeploymentBrief). */
export function serviceDeploymentBriefView(dep: ServiceDeployment): Record<string, unknown> {
  return {
    serviceDeploymentArn: dep.arn,
    serviceArn: dep.service.arn,
    clusterArn: dep.service.clusterArn,
    startedAt: dep.startedAt,
    createdAt: dep.createdAt,
    finishedAt: dep.finishedAt,
    targetServiceRevisionArn: dep.target.arn,
    status: dep.status,
    statusReason: dep.statusReason,
  };
}

/** A revision as DescribeServiceRevisions answers it. */
export function serviceRevisionView(revision: ServiceRevision): Record<string, unknown> {
  const service = revision.service;
  return {
    serviceRevisionArn: revision.arn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    taskDefinition: revision.taskDefinitionArn,
    launchType: service.launchType,
    platformVersion: revision.platformVersion,
    loadBalancers: revision.loadBalancers,
    serviceRegistries: [],
    networkConfiguration: revision.networkConfiguration,
    containerImages: revision.containerImages.map((c) => ({
      containerName: c.containerName,
      imageDigest: c.imageDigest,
      image: c.image,
    })),
    guardDutyEnabled: false,
    createdAt: revision.createdAt,
    resolvedConfiguration: {
      loadBalancers: revision.loadBalancers.map((lb) => ({
        targetGroupArn: revision.targetGroupArn ?? lb.targetGroupArn,
        productionListenerRule: lb.advancedConfiguration?.productionListenerRule,
      })),
    },
  };
}

/** What DescribeServices adds for a service with service deployments: the current one and the running revisions. */
export function serviceDeploymentFields(
  ecs: Ecs,
  deployments: ServiceDeployments,
  service: Service,
): Record<string, unknown> {
  const current = deployments.of(service)[0];
  if (!current) return {};
  return {
    currentServiceDeployment: current.arn,
    currentServiceRevisions: deployments.runningRevisions(service).map((r) => ({
      arn: r.arn,
      ...taskCounts(ecs, r),
    })),
  };
}
