import type { RequirementResult } from '@shipgate/model';
import { requirement } from './requirement';

/** What the caller observed about parity between the policy's `from` environment and this one. */
export interface ParityObservation {
  from: string;
  /** Differences the config does not expect, each with both values. */
  unexpected: { setting: string; source: string; from: string; here: string }[];
  expected: number;
  /** Set when the live side could not be compared (a missing service, AWS unreachable). */
  liveNote?: string;
}

/**
 * The parity requirement (`promotion.parity`): `required` blocks while the environments differ in a way
 * `parity.expect` does not declare, or when parity could not be observed; `reported` lists it and passes.
 */
export function checkParity(
  mode: 'required' | 'reported',
  environment: string,
  observation: ParityObservation | undefined,
): RequirementResult {
  const title = `Parity with ${observation?.from ?? 'the previous environment'}`;
  const required = `no difference parity.expect does not list${mode === 'reported' ? ' (reported only)' : ''}`;
  if (!observation) {
    return requirement(
      'parity',
      title,
      mode === 'required' ? 'missing' : 'pass',
      required,
      'not observed',
      `parity was not computed; run \`shipgate diff <from> ${environment}\``,
    );
  }
  const what = observation.unexpected
    .map((d) => `${d.setting} (${d.source}): ${observation.from} ${d.from}, ${environment} ${d.here}`)
    .join('; ');
  const live = observation.liveNote ? `; live not compared: ${observation.liveNote}` : '';
  if (observation.unexpected.length) {
    return requirement(
      'parity',
      title,
      mode === 'required' ? 'fail' : 'pass',
      required,
      `${observation.unexpected.length} unexpected difference(s)`,
      `${what}${live}; make them alike or declare why under parity.expect`,
    );
  }
  if (observation.liveNote && mode === 'required') {
    return requirement('parity', title, 'missing', required, 'declared alike, live unknown', observation.liveNote);
  }
  return requirement(
    'parity',
    title,
    'pass',
    required,
    `alike (${observation.expected} expected difference(s))`,
    `${observation.from} and ${environment} differ only where parity.expect says why${live}`,
  );
}
