import type { ShipgateConfig } from '@shipgate/model';
import { compareParity, type ParityDifference } from './compare-parity';
import { describeEnvironment } from './describe-environment';
import { declaredSubject, parityView, releaseIdentityVariables, type ParitySubject } from './parity-view';

/** Staging/production parity of one service: declared and live differences, expected or not. */
export interface ParityReport {
  service: string;
  environments: [string, string];
  differences: ParityDifference[];
  /** False when the live side was not compared; `liveNote` says why. */
  liveCompared: boolean;
  liveNote?: string;
  unexpected: number;
  expected: number;
}

/** The declared differences of a service between two environments (pure). */
export function declaredParity(
  config: ShipgateConfig,
  service: string,
  environments: [string, string],
  templates: Readonly<Record<string, string>>,
): ParityDifference[] {
  const [a, b] = environments.map((e) => {
    const env = describeEnvironment(config, e, templates);
    const described = env.services.find((s) => s.target.service === service);
    return described ? parityView(declaredSubject(described, env.dataPolicy), skipped(templates, service)) : {};
  }) as [Record<string, string>, Record<string, string>];
  return compareParity(a, b, 'declared', config.parity.expect);
}

const skipped = (templates: Readonly<Record<string, string>>, service: string) =>
  templates[service] ? releaseIdentityVariables(templates[service]!) : new Set<string>();

/** The live differences, from what the SDK read in each environment (pure). */
export function liveParity(
  config: ShipgateConfig,
  service: string,
  subjects: [ParitySubject, ParitySubject],
  templates: Readonly<Record<string, string>>,
): ParityDifference[] {
  const skip = skipped(templates, service);
  return compareParity(parityView(subjects[0], skip), parityView(subjects[1], skip), 'live', config.parity.expect);
}

/** Puts declared and live differences together, with the counts the gate and `shipgate diff` show. */
export function parityReport(
  service: string,
  environments: [string, string],
  declared: ParityDifference[],
  live: ParityDifference[] | { note: string },
): ParityReport {
  const liveDiffs = Array.isArray(live) ? live : [];
  const differences = [...declared, ...liveDiffs];
  return {
    service,
    environments,
    differences,
    liveCompared: Array.isArray(live),
    ...(Array.isArray(live) ? {} : { liveNote: live.note }),
    unexpected: differences.filter((d) => !d.expected).length,
    expected: differences.filter((d) => d.expected).length,
  };
}
