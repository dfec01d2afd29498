import { Agent } from 'node:http';
import { startListenerServer } from './src/elb/listener-proxy';
const target = { id: 'x', port: 39001, state: 'healthy', inFlight: 0, agent: new Agent({ keepAlive: true, maxSockets: 256 }), markRemoved: () => {} } as never;
await startListenerServer('127.0.0.1', 39003, 80, () => ({ target }));
console.log('up');
