import type { OptionSpecs } from '../command';

/** The flags of `shipgate deploy`; promote offers a subset of them, declared once here. */
export const deployOptions = {
  service: {
    type: 'string',
    placeholder: 'S',
    description: 'Service to deploy (may be left out when only one is configured)',
  },
  release: {
    type: 'string',
    placeholder: 'R',
    description: 'Release id (or unique prefix) from `shipgate release list`',
  },
  wait: {
    type: 'string',
    placeholder: 'complete|traffic',
    default: 'complete',
    description: 'Return when the deployment completed, or once production traffic fully moved',
  },
  'if-busy': {
    type: 'string',
    placeholder: 'fail|wait|supersede',
    default: 'fail',
    description: 'When another release is being deployed: refuse, wait for it, or stop it with rollback first',
  },
  force: { type: 'boolean', description: 'Deploy even when the release already runs' },
  'break-glass': {
    type: 'boolean',
    description:
      'When the promotion gate blocks: deploy anyway on a verified break-glass override (`shipgate approve <env> --break-glass` by someone trust.environments.<env>.breakGlass names, not expired); recorded and audited as break-glass, never last known good until a later deploy of the release passes the gate',
  },
  'dry-run': {
    type: 'boolean',
    description:
      'Show the promotion gate’s verdict (recording nothing) and the plan (action, task definition, what the controller would be asked to start — for CodeDeploy the AppSpec —, time budget), and stop; exit 1 if the gate would block',
  },
} as const satisfies OptionSpecs;
