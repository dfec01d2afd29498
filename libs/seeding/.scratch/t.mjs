import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create();
await db.exec('create table t (id bigint primary key, name text, email text, n int)');
let t0 = performance.now();
await db.transaction(async (tx) => {
  for (let c = 0; c < 4; c++) {
    const lines = [];
    for (let i = 0; i < 50000; i++) { const id = c*50000+i; lines.push(`${id}\tname ${id}\tu${id}@example.com\t${id%100}\n`); }
    await tx.query("COPY t FROM '/dev/blob'", [], { blob: new Blob([lines.join('')]) });
  }
});
console.log('rows/s', 200000 / ((performance.now()-t0)/1000));
console.log((await db.query('select count(*) from t')).rows);
try { await db.transaction(async (tx) => { await tx.query("COPY t FROM '/dev/blob'", [], { blob: new Blob(['999999\tx\ty\tnotint\n']) }); }); } catch (e) { console.log('err', e.message, e.code); }
await db.close();
