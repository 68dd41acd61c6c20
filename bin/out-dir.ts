// The --out folder, made ready before a run starts: a run of an hour (serve, load) must not
// find out at the end that its results cannot be written, nor end in a stack trace. A
// folder that cannot be created or written is bad input (exit 2), said before any work.

import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './exit-codes.js';

const EXPECTED = 'expected a folder that callsim can create or write into';

/** Creates `dir` (and its parents) and proves it writable; throws UsageError naming --out otherwise. */
export function prepareOutDir(dir: string): void {
  if (dir.trim() === '') throw new UsageError(`--out needs a folder; ${EXPECTED}`);
  try {
    makeDirs(dir);
    // root writes anywhere by its permissions, yet not on a read-only mount: only a write tells
    const probe = join(dir, `.callsim-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new UsageError(`--out ${dir}: ${reason(e)}; ${EXPECTED}`);
  }
}

/**
 * `mkdir -p`, one level at a time: Node 20's `mkdirSync(dir, { recursive: true })` never
 * returns for a path under /proc (each attempt fails with ENOENT and it tries again).
 */
function makeDirs(dir: string): void {
  try {
    mkdirSync(dir);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(dir).isDirectory()) throw Object.assign(new Error('a file, not a folder'), { code: 'ENOTDIR' });
      return;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw e;
    makeDirs(parent);
  }
  mkdirSync(dir);
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOTDIR':
      return 'it, or a folder above it, is a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'on a read-only file system';
    case 'ENOENT':
      return 'cannot be created there';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}
