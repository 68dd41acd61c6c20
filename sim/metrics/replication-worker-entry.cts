// Piscina's entry for the replication workers, in CommonJS. Piscina first require()s a
// worker file, and Node 20's require() of an ES module (loadESMFromCJS, on by default from
// 20.19) once aborted a whole test process on a worker thread: "FATAL ERROR:
// v8::Module::IsGraphAsync must be used on an instantiated module" (CI, 2026-11-23). A
// CommonJS file is required the plain way; the worker's ES module is then loaded by import()
// alone, from the moment piscina requires this file as the thread starts (so the module and
// the histograms' WebAssembly still load while the main thread goes on with its own work).

import type { ReplicationTask } from './replication-worker.js';

const worker = import('./replication-worker.js');
// a failed load is the first task's error, not an unhandled rejection before it
worker.catch(() => undefined);

async function runReplications(task: ReplicationTask): Promise<number> {
  return (await worker).default(task);
}

export = runReplications;
