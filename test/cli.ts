// Runs the compiled CLI as a user would, for end-to-end tests.

import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = resolve(root, 'dist/bin/callsim.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function callsim(args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI without blocking this process (for tests whose own servers must keep answering meanwhile). */
export function callsimAsync(args: readonly string[]): Promise<CliResult> {
  return callsimInterrupted(args, Infinity);
}

/**
 * Starts the CLI, sends `signal` (SIGINT: Ctrl-C) after `afterMs`, and waits for it to end.
 * `group`: to the CLI's whole process group, as a terminal sends Ctrl-C (its children too).
 */
export function callsimInterrupted(args: readonly string[], afterMs: number, signal: NodeJS.Signals = 'SIGINT', group = false): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, detached: group });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = afterMs === Infinity ? undefined : setTimeout(() => (group ? process.kill(-child.pid!, signal) : child.kill(signal)), afterMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
