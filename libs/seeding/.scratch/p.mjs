import { PGlite } from '@electric-sql/pglite';
let t = performance.now(); const db = await PGlite.create(); console.log('create ms', performance.now() - t);
t = performance.now(); const db2 = await PGlite.create(); console.log('create2 ms', performance.now() - t);
await db.exec('create schema a; set search_path to a, public; create table x(id int)'); 
await db.query('begin'); await db.query('declare c no scroll cursor for select id::text from x'); console.log(await db.query('fetch 10 from c')); await db.query('commit');
