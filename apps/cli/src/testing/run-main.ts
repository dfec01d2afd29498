import { expect } from 'vitest';
import { main } from '../main';
import { captureOutput } from '../render/output';

// Parsed --json output: each test asserts the shape it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** What one `shipgate` call through `main` did. */
export interface MainRun {
  code: number;
  /** stdout parsed, under --json. */
  json: Json | undefined;
  out: string;
  err: string;
}

/**
 * Runs `shipgate --config C --state S [--json] …args` through `main`, with `env` set in process.env for the
 * call only (commands read their environment from there).
 */
export async function runMain(options: {
  config: string;
  state: string;
  args: string[];
  env?: Record<string, string | undefined>;
  json?: boolean;
}): Promise<MainRun> {
  const json = options.json ?? true;
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(options.env ?? {})) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const io = captureOutput();
    const argv = ['--config', options.config, '--state', options.state, ...(json ? ['--json'] : []), ...options.args];
    const code = await main(argv, io);
    return { code, json: json && io.out ? (JSON.parse(io.out) as Json) : undefined, out: io.out, err: io.err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** `release create` of sample-service at `digest` by ci-bot; returns the release id. */
export async function createRelease(
  run: (state: string, args: string[]) => Promise<MainRun>,
  state: string,
  digest: string,
  extra: string[] = [],
): Promise<string> {
  const { code, json } = await run(state, [
    '--as',
    'ci-bot',
    'release',
    'create',
    '--service',
    'sample-service',
    '--image',
    `registry.example/sample@${digest}`,
    '--git-sha',
    'abcdef1',
    ...extra,
  ]);
  expect(code).toBe(0);
  return json!.release.id as string;
}

/** `--service sample-service --release R --base-url <a closed port>`: a release under test, never a real server. */
export const target = (release: string): string[] => [
  '--service',
  'sample-service',
  '--release',
  release,
  '--base-url',
  'http://127.0.0.1:9',
];

/** `qa staging` of `release` whose QA command is `node -e <script>`. */
export const qaWithNode = (release: string, script: string, ...options: string[]): string[] => [
  'qa',
  'staging',
  ...target(release),
  ...options,
  '--',
  process.execPath,
  '-e',
  script,
];
