import { loadDataset } from '../src/index';
const t = performance.now();
const ds = await loadDataset('libs/seeding/src/__fixtures__/shop-dataset.ts', { exportName: 'shopDataset' });
console.log(ds.name, ds.tableOrder, Math.round(performance.now() - t), 'ms');
