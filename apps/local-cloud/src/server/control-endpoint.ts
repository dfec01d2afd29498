import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFaultRule, Faults, TaskFaultKind } from '../faults/faults';
import type { BuildImageInput, BuiltImage } from '../runtime/image-store';
import type { ControlHandler } from './api-server';

/** What the local-only control endpoint exposes. */
export interface ControlDeps {
  faults: Faults;
  listeners: () => { listenerArn: string; port: number; localPort: number; url: string }[];
  taskOutput: (task: string) => string[] | undefined;
  buildImage: (input: BuildImageInput) => Promise<BuiltImage>;
}

/**
 * `/_local-cloud/...` for loopback callers: `GET listeners`, `GET|POST|DELETE faults`,
 * `GET tasks/<arn-or-id>/output`, `POST images` (build an image from a directory).
 */
export function controlHandler(deps: ControlDeps): ControlHandler {
  return async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname.replace(/^\/_local-cloud\//, '');
    const send = (status: number, value: unknown) => {
      const text = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      if (path === 'health') return send(200, { status: 'running' });
      if (path === 'listeners' && req.method === 'GET') return send(200, { listeners: deps.listeners() });
      if (path === 'faults' && req.method === 'GET') return send(200, deps.faults.list());
      if (path === 'faults' && req.method === 'DELETE') {
        deps.faults.clear();
        return send(200, deps.faults.list());
      }
      if (path === 'faults' && req.method === 'POST') {
        const input = JSON.parse(body || '{}') as {
          api?: ApiFaultRule;
          task?: { image: string; kind: TaskFaultKind | null };
          alarm?: { name: string; state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'; reason?: string };
          clear?: boolean;
          seed?: number;
        };
        if (input.clear) deps.faults.clear(input.seed);
        const id = input.api ? deps.faults.addApiFault(input.api) : undefined;
        if (input.task) deps.faults.setTaskFault(input.task.image, input.task.kind ?? undefined);
        if (input.alarm) deps.faults.setAlarmState(input.alarm.name, input.alarm.state, input.alarm.reason);
        return send(200, { id, ...deps.faults.list() });
      }
      const output = /^tasks\/(.+)\/output$/.exec(path);
      if (output && req.method === 'GET') {
        const lines = deps.taskOutput(decodeURIComponent(output[1]!));
        return lines ? send(200, { lines }) : send(404, { message: 'no such task' });
      }
      if (path === 'images' && req.method === 'POST')
        return send(200, await deps.buildImage(JSON.parse(body) as BuildImageInput));
      send(404, { message: `unknown control path ${path}` });
    } catch (e) {
      send(400, { message: (e as Error).message });
    }
  };
}
