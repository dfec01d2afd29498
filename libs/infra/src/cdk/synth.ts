import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShipgateError, type ShipgateConfig } from '@shipgate/model';
import { buildApp } from './build-app';

/** One written template. */
export interface SynthesizedStack {
  stack: string;
  templateFile: string;
  resources: number;
}

/** What `shipgate infra synth` wrote. */
export interface SynthReport {
  outdir: string;
  stacks: SynthesizedStack[];
}

/** One cdk-nag finding, as CDK's validation report lists it. */
export interface NagFinding {
  /** `AwsSolutions` (cdk-nag) or CDK's own template validation. */
  plugin: string;
  rule: string;
  description: string;
  constructPath: string;
}

/** The findings in a cloud assembly's validation report, cdk-nag's and CDK's template checks' (none when absent). */
export function readNagFindings(outdir: string): NagFinding[] {
  let text: string;
  try {
    text = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
  } catch {
    return [];
  }
  const report = JSON.parse(text) as {
    pluginReports?: {
      pluginName: string;
      violations?: { ruleName: string; description: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return (report.pluginReports ?? []).flatMap((p) =>
    (p.violations ?? []).flatMap((v) =>
      v.violatingConstructs.map((c) => ({
        plugin: p.pluginName,
        rule: v.ruleName,
        description: v.description,
        constructPath: c.constructPath,
      })),
    ),
  );
}

/**
 * Synthesizes every stack of the config into `outdir`, offline (no AWS call, no credentials), with
 * cdk-nag's AwsSolutions rules: a finding nobody acknowledged fails with INFRA_CHECK_FAILED, listing each.
 */
export function synthesize(
  config: ShipgateConfig,
  templates: Readonly<Record<string, string>>,
  outdir: string,
): SynthReport {
  const { app } = buildApp(config, templates, { outdir });
  let assembly;
  try {
    assembly = app.synth();
  } catch (error) {
    const findings = readNagFindings(outdir);
    if (!findings.length) throw error;
    throw new ShipgateError(
      'INFRA_CHECK_FAILED',
      `expected no unacknowledged cdk-nag findings, found ${findings.length}: ${findings
        .map((f) => `${f.rule} at ${f.constructPath}`)
        .join('; ')}`,
      {
        details: { findings },
        hint: 'Fix the resource, or acknowledge the rule with its reason in libs/infra/src/cdk/nag-suppressions.ts.',
      },
    );
  }
  return {
    outdir,
    stacks: assembly.stacks.map((s) => ({
      stack: s.stackName,
      templateFile: join(outdir, s.templateFile),
      resources: Object.keys((s.template as { Resources?: object }).Resources ?? {}).length,
    })),
  };
}
