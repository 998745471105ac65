// A worker thread's first module: Node 20 applies no `--import tsx` given in a worker's execArgv, so
// the TypeScript loader is registered here, then the worker itself is loaded (under `npm start` and
// under Vitest alike).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
