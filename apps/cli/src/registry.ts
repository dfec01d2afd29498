import type { CommandEntry } from './command';

/**
 * Every command, by the words that select it. Modules load only when their command runs, so that
 * `shipgate --version` and `shipgate --help` stay fast and never load the AWS SDK.
 */
export const commands: CommandEntry[] = [
  { name: 'config validate', summary: 'Check shipgate.yaml and report every problem at once', example: 'shipgate config validate --config shipgate.yaml', load: () => import('./commands/config-validate') },
  { name: 'config schema', summary: 'Print the JSON Schema of shipgate.yaml (for editors)', example: 'shipgate config schema > shipgate.schema.json', load: () => import('./commands/config-schema') },
  { name: 'plan', summary: 'Show the pipeline: environments in promotion order and what guards each', example: 'shipgate plan', load: () => import('./commands/plan') },
  { name: 'release create', summary: 'Record an immutable release (image pinned by digest)', example: 'shipgate release create --service api --image 1234.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:<64 hex> --git-sha 4f2c1e9', load: () => import('./commands/release-create') },
  { name: 'release list', summary: 'List releases, newest first', example: 'shipgate release list --service api', load: () => import('./commands/release-list') },
  { name: 'release show', summary: 'Show one release with its evidence and deployments', example: 'shipgate release show rel-3f9a', load: () => import('./commands/release-show') },
  { name: 'audit log', summary: 'Show audit log entries (filter by release, environment, actor)', example: 'shipgate audit log --environment production --limit 20', load: () => import('./commands/audit-log') },
  { name: 'local-cloud up', summary: 'Run local-cloud (AWS-compatible ECS, CodeDeploy, ELBv2, CloudWatch) in the foreground', example: 'shipgate local-cloud up --port 4566 --time-scale 60', load: () => import('./commands/local-cloud-up') },
  { name: 'audit verify', summary: 'Check the audit log hash chain; name the first bad entry', example: 'shipgate audit verify', load: () => import('./commands/audit-verify') },
];

/** Finds the command selected by the leading words, longest match first. */
export function findCommand(words: string[]): { entry: CommandEntry; consumed: number } | undefined {
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const name = words.slice(0, n).join(' ');
    const entry = commands.find((c) => c.name === name);
    if (entry) return { entry, consumed: n };
  }
  return undefined;
}
