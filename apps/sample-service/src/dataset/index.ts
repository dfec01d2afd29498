export { sampleDataset } from './sample-dataset';
export { sampleSchemaSql } from './schema';
