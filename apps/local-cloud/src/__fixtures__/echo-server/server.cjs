// A tiny task image for local-cloud's tests: answers /health, echoes its identity, drains on SIGTERM.
const http = require('node:http');

const port = Number(process.env.PORT || 8080);
const identity = process.env.IDENTITY || 'unknown';
let healthy = process.env.HEALTH !== 'fail';

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
    return res.end(healthy ? 'ok' : 'unhealthy');
  }
  if (req.url === '/toggle-health') {
    healthy = !healthy;
    return res.end(String(healthy));
  }
  if (req.url && req.url.startsWith('/slow')) {
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms') || 1000);
    return setTimeout(() => res.end(JSON.stringify({ identity, slow: ms })), ms);
  }
  if (req.url === '/crash') {
    res.end('bye');
    return setTimeout(() => process.exit(3), 10);
  }
  let size = 0;
  req.on('data', (chunk) => (size += chunk.length));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ identity, pid: process.pid, path: req.url, bytes: size, forwardedFor: req.headers['x-forwarded-for'] || null }));
  });
});

server.keepAliveTimeout = 65000;
server.listen(port, '127.0.0.1', () => console.log(`echo-server ${identity} listening on ${port}`));
process.on('SIGTERM', () => {
  console.log('SIGTERM received, draining');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
  server.closeIdleConnections();
});
