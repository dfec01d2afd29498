import { shopDataset } from '../src/__fixtures__/shop-dataset';
import { generateCopyChunks } from '../src/index';
let n = 0; let first = '';
const t = performance.now();
for await (const c of generateCopyChunks({ dataset: shopDataset, profile: 'production-like', seed: 42 })) { n += c.rows; if (!first) first = c.table + '\n' + c.text.split('\n').slice(0, 3).join('\n'); }
console.log(first); console.log(n, 'rows', Math.round(n / ((performance.now() - t) / 1000)), 'rows/s');
