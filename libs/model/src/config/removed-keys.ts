/**
 * Keys shipgate once accepted and no longer does. Setting one is refused with why it went and what to do
 * instead, rather than "unknown key" (which reads like a typo) or, worse, being silently ignored.
 */
interface RemovedKey {
  /** The config path; `*` stands for any one name (a service, an environment). */
  path: string[];
  why: string;
  instead: string;
}

const removed: RemovedKey[] = [
  {
    path: ['services', '*', 'loadTests', 'smoke'],
    why: 'nothing ran the k6 smoke script: deploy verification sends its own smoke requests through the test listener, and every answer must name the release being deployed',
    instead:
      'Delete the key (and its script). Deploy verification needs no k6; load tests run with `shipgate stress` from services.<S>.loadTests.stress.',
  },
  {
    path: ['environments', '*', 'aws', 'roleArn'],
    why: 'no code read it: the deploy role of each environment is created by its CDK stack (`shipgate infra synth`) and named by the stack output DeployRoleArn',
    instead:
      'Delete the key. Deploy the stacks (.github/README.md) and set the GitHub environment variable AWS_DEPLOY_ROLE_ARN to the stack output DeployRoleArn.',
  },
];

/** Why `path` was removed and what to do instead, when it names a removed key. */
export function removedKey(path: readonly PropertyKey[]): { why: string; instead: string } | undefined {
  const found = removed.find(
    (r) => r.path.length === path.length && r.path.every((segment, i) => segment === '*' || segment === path[i]),
  );
  return found && { why: found.why, instead: found.instead };
}
