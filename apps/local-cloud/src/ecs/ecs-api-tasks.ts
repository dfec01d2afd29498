import { AwsError, type JsonServiceApi } from '../contract';
import type { Ecs } from './ecs';
import { taskView } from './ecs-views';
import { JsonInput, pageTokens, required } from './json-input';

/** ListTasks, DescribeTasks, StopTask. */
export function taskOperations(ecs: Ecs): JsonServiceApi {
  return {
    ListTasks(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const serviceName = input.str('serviceName');
      const family = input.str('family');
      const startedBy = input.str('startedBy');
      const desiredStatus = input.str('desiredStatus') ?? 'RUNNING';
      if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus))
        throw new AwsError('InvalidParameterException', `Invalid desiredStatus: ${desiredStatus}`);
      if (serviceName !== undefined && !ecs.findService(cluster.name, serviceName))
        throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const wanted = desiredStatus === 'PENDING' ? 'RUNNING' : desiredStatus;
      const arns = [...ecs.tasks.values()]
        .filter((t) => t.clusterName === cluster.name && t.desiredStatus === wanted)
        .filter((t) => desiredStatus !== 'PENDING' || t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING')
        .filter((t) => serviceName === undefined || t.group === `service:${serviceName.split('/').pop()}`)
        .filter((t) => family === undefined || t.taskDefinitionArn.includes(`:task-definition/${family}:`))
        .filter((t) => startedBy === undefined || t.startedBy === startedBy)
        .map((t) => t.arn);
      const { page, nextToken } = pageTokens(arns, input, 100);
      return { taskArns: page, nextToken };
    },

    DescribeTasks(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const refs = input.strList('tasks');
      if (!refs) throw required('tasks');
      if (refs.length > 100) throw new AwsError('InvalidParameterException', 'tasks can have at most 100 items.');
      const tasks = [];
      const failures = [];
      for (const ref of refs) {
        const task =
          ecs.tasks.get(ref) ?? [...ecs.tasks.values()].find((t) => t.id === ref && t.clusterName === cluster.name);
        if (task && task.clusterName === cluster.name) tasks.push(taskView(task));
        else failures.push({ arn: ref, reason: 'MISSING' });
      }
      return { tasks, failures };
    },

    async StopTask(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const ref = input.reqStr('task');
      const task =
        ecs.tasks.get(ref) ?? [...ecs.tasks.values()].find((t) => t.id === ref && t.clusterName === cluster.name);
      if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
      void ecs.runner.stop(task, input.str('reason') ?? 'Task stopped by user', 'UserInitiated');
      return { task: taskView(task) };
    },
  };
}
