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
export { seedDatabase, planSeed } from './seed-database';
export type { SeedOptions, SeedReport, SeedPlanReport } from './seed-database';
export { describeTarget } from './describe-target';
export type { SeedProgress } from './progress';
export type { SeedTarget, SeedTargetSpec, SeedSession, OpenTarget } from './seed-target';
export { openTarget, targetForUrl } from './open-target';
export { redactDatabaseUrl, parseDatabaseUrl, scrubSecret, DATABASE_SCHEMES } from './parse-database-url';
export type { DatabaseUrl, SqlDialectName } from './parse-database-url';
export {
  writeEnvironmentMarker,
  readEnvironmentMarkers,
  isProductionMarker,
  MARKER_TABLE,
  MARKER_TABLE_SQL,
} from './environment-marker';
export type { EnvironmentMarker, MarkerToWrite } from './environment-marker';
export { decideMarker } from './marker-decision';
export type { MarkerDecision, MarkerRequest } from './marker-decision';
export { verifySynthetic } from './verify-synthetic';
export type { VerifyOptions, VerifyReport, VerifyFinding, VerifiedTable } from './verify-synthetic';
export { DETECTORS } from './scan-value';
export type { DetectorName } from './scan-value';
export { isReservedDomain, isFictionalPhone, passesLuhn } from './synthetic-rules';
export { markDatabase } from './mark-database';
export type { MarkOptions, MarkReport } from './mark-database';
export { loadDataset } from './load-dataset';
export { withVolumes } from './dataset-source';
