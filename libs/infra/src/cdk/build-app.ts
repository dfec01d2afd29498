import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ShipgateError, type ShipgateConfig } from '@shipgate/model';
import { describeEnvironment } from '../describe-environment';
import { EnvironmentStack } from './environment-stack';
import { GithubStack } from './github-stack';
import { environmentStackName, githubStackName } from './names';
import { suppressAcceptedFindings } from './nag-suppressions';

/** Options of buildApp. */
export interface BuildAppOptions {
  /** Where `synth()` writes the cloud assembly (templates, manifest). */
  outdir?: string;
  /** Run cdk-nag's AwsSolutions rules on every stack (findings become error annotations). Default true. */
  nag?: boolean;
}

/**
 * The CDK app of a shipgate.yaml: the GitHub stack (OIDC provider, build role) and one stack per
 * environment. `templates` holds each service's task-definition template text. Pure construction:
 * no AWS call, no lookup, so `synth()` works offline without credentials.
 */
export function buildApp(
  config: ShipgateConfig,
  templates: Readonly<Record<string, string>>,
  options: BuildAppOptions = {},
): { app: App; environments: EnvironmentStack[]; github: GithubStack } {
  const repository = config.infra?.githubRepository;
  if (!repository) {
    throw new ShipgateError('CONFIG_INVALID', 'expected infra.githubRepository (OWNER/REPO), found none', {
      location: { path: 'infra.githubRepository' },
      hint: 'Add `infra: { githubRepository: OWNER/REPO }` to shipgate.yaml: the deploy roles trust only that repository’s GitHub environments.',
    });
  }
  const app = new App({ ...(options.outdir ? { outdir: options.outdir } : {}), analyticsReporting: false });
  const descriptions = Object.keys(config.environments).map((e) => describeEnvironment(config, e, templates));
  const first = descriptions[0];
  const github = new GithubStack(app, githubStackName(config.project), {
    project: config.project,
    githubRepository: repository,
    region: first?.region ?? 'us-east-1',
    services: Object.keys(config.services),
    ecrRepositoryPrefix: first?.ecrRepositoryPrefix ?? `${config.project}/`,
    ...(config.infra?.stateBucket ? { stateBucket: config.infra.stateBucket } : {}),
    ...(config.trust?.build ? { releaseSigningKey: config.trust.build.ci.kmsKeyId } : {}),
  });
  const environments = descriptions.map((description) => {
    const stack = new EnvironmentStack(app, environmentStackName(config.project, description.environment), {
      environment: description,
    });
    stack.addStackDependency(github, 'the deploy role trusts the OIDC provider the GitHub stack creates');
    return stack;
  });
  const bucket = config.infra?.stateBucket;
  suppressAcceptedFindings(github, { ...(bucket ? { bucket } : {}) });
  environments.forEach((stack, i) =>
    suppressAcceptedFindings(stack, {
      ...(bucket ? { bucket } : {}),
      cluster: descriptions[i]!.cluster,
      services: descriptions[i]!.services.map((s) => s.target.ecsService),
    }),
  );
  if (options.nag !== false)
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, environments, github };
}
