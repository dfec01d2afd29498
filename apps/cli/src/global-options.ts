import type { GlobalOptions } from './command';

/** Options every command accepts, with their help text. */
export const globalOptionSpecs = {
  config: { type: 'string', placeholder: 'FILE', description: 'Pipeline configuration (default: shipgate.yaml)' },
  json: { type: 'boolean', description: 'Machine output on stdout (JSON), nothing else there' },
  state: {
    type: 'string',
    placeholder: 'DIR|s3://BUCKET/PREFIX',
    description: 'Where the ledger lives (default: .shipgate/, or $SHIPGATE_STATE)',
  },
  as: {
    type: 'string',
    placeholder: 'ACTOR',
    description:
      'Label local actions with this actor in the audit log; grants no role (approvals count by SSH key) and is refused inside GitHub Actions',
  },
  quiet: { type: 'boolean', short: 'q', description: 'No progress output' },
  'policy-profile': {
    type: 'string',
    placeholder: 'NAME',
    description:
      'Apply a policy profile from shipgate.yaml `profiles` (e.g. local-rehearsal); default $SHIPGATE_POLICY_PROFILE',
  },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
} as const;

/** Reads the global options from parsed values, with defaults and environment fallbacks. */
export function resolveGlobalOptions(values: Record<string, unknown>, env: NodeJS.ProcessEnv): GlobalOptions {
  return {
    config: typeof values.config === 'string' ? values.config : env.SHIPGATE_CONFIG || 'shipgate.yaml',
    json: values.json === true,
    state: typeof values.state === 'string' ? values.state : env.SHIPGATE_STATE || '.shipgate',
    ...(typeof values.as === 'string' ? { as: values.as } : {}),
    quiet: values.quiet === true,
    ...(typeof values['policy-profile'] === 'string'
      ? { profile: values['policy-profile'] }
      : env.SHIPGATE_POLICY_PROFILE
        ? { profile: env.SHIPGATE_POLICY_PROFILE }
        : {}),
  };
}
