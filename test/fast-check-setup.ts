// Loaded by ava before every test file (package.json "ava.require"). Property tests draw a
// new random seed on every local run, so that they keep exploring; under CI (CI=true) they
// use one fixed seed, so that an exit code is a statement about the code, never about luck.
// A failure prints its seed and path either way; FC_SEED=n reproduces a local run.

import fc from 'fast-check';

const seed = process.env.FC_SEED ?? (process.env.CI ? '20261122' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
