import { shopDataset } from '../src/__fixtures__/shop-dataset';
import { seedDatabase } from '../src/index';
const url = process.argv[2];
const r = await seedDatabase({ dataset: shopDataset, profile: 'production-like', seed: 1, dataPolicy: 'synthetic', environment: 'test', migrate: true, reset: true,
  target: url ? { kind: 'postgres', url, schema: 'scratch_sd' } : { kind: 'pglite' }, onProgress: (p) => console.log(JSON.stringify(p)) });
console.log(r);
