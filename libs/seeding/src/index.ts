export { defineDataset, validateDataset, isDataset, orderTables, PROFILES } from './define-dataset';
export type {
  Dataset,
  DatasetDeclaration,
  TableDeclaration,
  ColumnDeclaration,
  Relation,
  Profile,
} from './define-dataset';
export { gen } from './gen';
export { distribution } from './generator';
export { counts, meanCount } from './counts';
export type { CountDistribution } from './counts';
export type {
  ColumnGenerator,
  ColumnRead,
  ChildRows,
  Distribution,
  GeneratorContext,
  RowContext,
  RowView,
  ValueFn,
  ReferenceSpec,
} from './generator';
export type { RandomSource } from './prng';
export type { SumTerm } from './gen-relational';
export type { Value } from './copy-text';
export { generateRows, generateCopyChunks, generateChunk } from './generate-rows';
export type { GeneratedRow, CopyChunk, GenerateOptions } from './generate-rows';
export { compilePlan, CHUNK_ROWS } from './generation-plan';
export type { GenerationPlan, CompiledTable } from './generation-plan';
export { seedDatabase, describeTarget } from './seed-database';
export type { SeedOptions, SeedReport } from './seed-database';
export type { SeedProgress } from './progress';
export type { SeedTarget, SeedTargetSpec, SeedSession, OpenTarget } from './seed-target';
export { openTarget } from './open-target';
export { redactDatabaseUrl } from './redact-database-url';
export { writeEnvironmentMarker, readEnvironmentMarkers, isProductionMarker, MARKER_TABLE } from './environment-marker';
export type { EnvironmentMarker, Queryable } from './environment-marker';
export { verifySynthetic } from './verify-synthetic';
export type { VerifyOptions, VerifyReport, VerifyFinding } from './verify-synthetic';
export type { SyntheticRule } from './scan-value';
export { isReservedDomain, isFictionalPhone, passesLuhn } from './synthetic-rules';
export { loadDataset } from './load-dataset';
