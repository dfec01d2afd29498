import autocannon from '/work/main/node_modules/autocannon/autocannon.js';
const r = async (url) => {
  const x = await autocannon({ url, connections: 32, duration: 5 });
  return x.requests.average;
};
const d = await r('http://127.0.0.1:39001');
const p = await r('http://127.0.0.1:39003');
console.log({ direct: d, mine: p, ratio: p / d });
