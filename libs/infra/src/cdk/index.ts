export { buildApp, type BuildAppOptions } from './build-app';
export { EnvironmentStack, type EnvironmentStackProps } from './environment-stack';
export { GithubStack, type GithubStackProps } from './github-stack';
export * from './names';
export { synthesize, readNagFindings, type SynthReport, type SynthesizedStack, type NagFinding } from './synth';
export { acceptedFindings } from './nag-suppressions';
