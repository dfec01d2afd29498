import { AwsError, type JsonServiceApi } from '../contract';
import { currentRegion } from '../server/request-context';
import type { Ecs } from './ecs';
import { clusterView, taskDefinitionView } from './ecs-views';
import { JsonInput, pageTokens, required } from './json-input';
import type { ContainerDef, Tag, TaskDefinition } from './model';

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

/** Reads `tags: [{key, value}]`. */
export function readTags(input: JsonInput): Tag[] {
  return (input.objList('tags') ?? []).map((t) => ({ key: t.reqStr('key'), value: t.str('value') ?? '' }));
}

function readContainer(c: JsonInput): ContainerDef {
  const name = c.reqStr('name');
  const image = c.reqStr('image');
  const environment = (c.objList('environment') ?? []).map((e) => ({
    name: e.reqStr('name'),
    value: e.str('value') ?? '',
  }));
  const portMappings = (c.objList('portMappings') ?? []).map((p) => {
    const containerPort = p.int('containerPort');
    if (containerPort === undefined) throw required('containerDefinitions.portMappings.containerPort');
    return { containerPort, hostPort: p.int('hostPort'), protocol: p.str('protocol') };
  });
  const stopTimeout = c.int('stopTimeout');
  if (stopTimeout !== undefined && (stopTimeout < 2 || stopTimeout > 120))
    throw new AwsError('ClientException', `Container ${name}: stopTimeout must be between 2 and 120 seconds.`);
  const raw = {
    ...c.body,
    essential: c.bool('essential') ?? true,
    environment,
    portMappings: portMappings.map((p) => ({
      ...p,
      hostPort: p.hostPort ?? p.containerPort,
      protocol: p.protocol ?? 'tcp',
    })),
  };
  return {
    name,
    image,
    essential: c.bool('essential') ?? true,
    environment,
    portMappings,
    stopTimeout,
    command: c.strList('command'),
    raw,
  };
}

/** Clusters, task definitions and tags. */
export function definitionOperations(ecs: Ecs, defaultRegion: string): JsonServiceApi {
  const arnBase = () => `arn:aws:ecs:${currentRegion(defaultRegion)}:${ecs.deps.accountId}`;
  return {
    CreateCluster(body) {
      const input = new JsonInput(body);
      const name = input.str('clusterName') ?? 'default';
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(name))
        throw new AwsError(
          'InvalidParameterException',
          'Cluster name can have up to 255 characters: letters, numbers, hyphens and underscores.',
        );
      let cluster = ecs.clusters.get(name);
      if (!cluster) {
        cluster = { arn: `${arnBase()}:cluster/${name}`, name, createdAt: new Date(), tags: readTags(input) };
        ecs.clusters.set(name, cluster);
      }
      return { cluster: clusterView(cluster, ecs) };
    },

    DescribeClusters(body) {
      const input = new JsonInput(body);
      const refs = input.strList('clusters') ?? ['default'];
      const clusters = [];
      const failures = [];
      for (const ref of refs) {
        const cluster = ecs.clusters.get(ref.split('/').pop()!);
        if (cluster) clusters.push(clusterView(cluster, ecs));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : `${arnBase()}:cluster/${ref}`, reason: 'MISSING' });
      }
      return { clusters, failures };
    },

    ListClusters(body) {
      const { page, nextToken } = pageTokens(
        [...ecs.clusters.values()].map((c) => c.arn),
        new JsonInput(body),
      );
      return { clusterArns: page, nextToken };
    },

    RegisterTaskDefinition(body) {
      const input = new JsonInput(body);
      const family = input.reqStr('family');
      if (!FAMILY.test(family))
        throw new AwsError(
          'ClientException',
          'Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens and underscores are allowed.',
        );
      const containerInputs = input.objList('containerDefinitions');
      if (!containerInputs) throw required('containerDefinitions');
      if (containerInputs.length === 0) throw new AwsError('ClientException', 'Container list cannot be empty.');
      const containers = containerInputs.map(readContainer);
      const names = new Set<string>();
      for (const c of containers) {
        if (names.has(c.name))
          throw new AwsError('ClientException', `Duplicate container name "${c.name}" in the container definitions.`);
        names.add(c.name);
      }
      if (!containers.some((c) => c.essential))
        throw new AwsError('ClientException', 'Task definition must have at least one essential container.');
      const revisions = ecs.taskDefinitions.get(family) ?? [];
      const revision = revisions.length + 1;
      const fields: Record<string, unknown> = {};
      for (const key of [
        'taskRoleArn',
        'executionRoleArn',
        'networkMode',
        'volumes',
        'placementConstraints',
        'requiresCompatibilities',
        'cpu',
        'memory',
        'runtimePlatform',
      ]) {
        if (body[key] !== undefined) fields[key] = body[key];
      }
      const def: TaskDefinition = {
        arn: `${arnBase()}:task-definition/${family}:${revision}`,
        family,
        revision,
        status: 'ACTIVE',
        containers,
        fields,
        registeredAt: new Date(),
        deregisteredAt: undefined,
        tags: readTags(input),
      };
      revisions.push(def);
      ecs.taskDefinitions.set(family, revisions);
      return { taskDefinition: taskDefinitionView(def), tags: def.tags };
    },

    DescribeTaskDefinition(body) {
      const input = new JsonInput(body);
      const def = ecs.taskDefinition(input.reqStr('taskDefinition'));
      const include = input.strList('include') ?? [];
      return { taskDefinition: taskDefinitionView(def), tags: include.includes('TAGS') ? def.tags : undefined };
    },

    ListTaskDefinitions(body) {
      const input = new JsonInput(body);
      const prefix = input.str('familyPrefix');
      const status = input.str('status') ?? 'ACTIVE';
      const sort = input.str('sort') ?? 'ASC';
      if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status))
        throw new AwsError('InvalidParameterException', `Invalid status: ${status}`);
      if (sort !== 'ASC' && sort !== 'DESC') throw new AwsError('InvalidParameterException', `Invalid sort: ${sort}`);
      const defs = [...ecs.taskDefinitions.entries()]
        .filter(([family]) => prefix === undefined || family === prefix)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .flatMap(([, revisions]) => revisions)
        .filter((d) => d.status === status)
        .map((d) => d.arn);
      if (sort === 'DESC') defs.reverse();
      const { page, nextToken } = pageTokens(defs, input);
      return { taskDefinitionArns: page, nextToken };
    },

    DeregisterTaskDefinition(body) {
      const input = new JsonInput(body);
      const ref = input.reqStr('taskDefinition');
      const short = ref.includes(':task-definition/') ? ref.split(':task-definition/')[1]! : ref;
      if (!/:\d+$/.test(short))
        throw new AwsError(
          'ClientException',
          'The specified task definition does not include a revision: specify family:revision or a full ARN.',
        );
      const def = ecs.taskDefinition(ref);
      if (def.status === 'ACTIVE') {
        def.status = 'INACTIVE';
        def.deregisteredAt = new Date();
      }
      return { taskDefinition: taskDefinitionView(def) };
    },

    TagResource(body) {
      const input = new JsonInput(body);
      const target = tagsOf(ecs, input.reqStr('resourceArn'));
      const tags = input.objList('tags');
      if (!tags) throw required('tags');
      for (const tag of readTags(input)) {
        const existing = target.find((t) => t.key === tag.key);
        if (existing) existing.value = tag.value;
        else target.push(tag);
      }
      return {};
    },

    UntagResource(body) {
      const input = new JsonInput(body);
      const target = tagsOf(ecs, input.reqStr('resourceArn'));
      const keys = input.strList('tagKeys');
      if (!keys) throw required('tagKeys');
      const kept = target.filter((t) => !keys.includes(t.key));
      target.splice(0, target.length, ...kept);
      return {};
    },

    ListTagsForResource(body) {
      return { tags: tagsOf(ecs, new JsonInput(body).reqStr('resourceArn')) };
    },
  };
}

/** The tag list of the resource an ARN names. */
function tagsOf(ecs: Ecs, arn: string): Tag[] {
  const m = /^arn:aws:ecs:[^:]+:\d{12}:(cluster|service|task-definition|task)\/(.+)$/.exec(arn);
  if (!m) throw new AwsError('InvalidParameterException', `The ARN ${arn} is not a valid ECS resource ARN.`);
  const [, kind, rest] = m;
  const notFound = () => new AwsError('ResourceNotFoundException', 'The specified resource could not be found.');
  if (kind === 'cluster')
    return (
      ecs.clusters.get(rest!)?.tags ??
      (() => {
        throw notFound();
      })()
    );
  if (kind === 'service') {
    const [cluster, name] = rest!.split('/');
    const service = ecs.findService(cluster ?? '', name ?? '');
    if (!service) throw notFound();
    return service.tags;
  }
  if (kind === 'task')
    return (
      ecs.tasks.get(arn)?.tags ??
      (() => {
        throw notFound();
      })()
    );
  try {
    return ecs.taskDefinition(arn).tags;
  } catch {
    throw notFound();
  }
}
