// The bench's child processes: the memory runs (million.ts), the default scenario's day
// (default-day.ts) and `callsim run` itself. Each runs in a fresh Node, so its RSS and JIT
// are its own. Like SimPy, a child that cannot run is reported with the reason, never fatal.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DefaultDayRun } from './default-day.js';
import type { MemoryRun } from './million.js';
import type { SipDayBench } from './sip-day.js';
import type { MmcParams } from './mmc.js';

export type Outcome<T> = { readonly ok: true; readonly run: T } | { readonly ok: false; readonly reason: string };

/** Files beside this one once compiled (dist/bench/). */
const compiled = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** The repository root (this file runs from dist/bench/): `callsim run` finds its default scenario from there. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CALLSIM_BIN = compiled('../bin/callsim.js');

/** A child's message on one line (a scenario error lists its problems on several), cut at 300 characters. */
const oneLine = (s: string): string => {
  const line = s.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' / ');
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
};

function failure(what: string, child: ReturnType<typeof spawnSync>): string | undefined {
  if (child.error) return `${what}: ${child.error.message}`;
  if (child.signal) return `${what}: killed by ${child.signal}`;
  if (child.status !== 0) return `${what}: exit ${child.status}: ${oneLine(String(child.stderr)) || '(no message)'}`;
  return undefined;
}

function jsonChild<T>(script: string, args: readonly string[], timeoutMs: number): Outcome<T> {
  const child = spawnSync(process.execPath, [compiled(script), ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 << 20 });
  const why = failure(`dist/bench/${script.slice(2)}`, child);
  if (why !== undefined) return { ok: false, reason: why };
  try {
    return { ok: true, run: JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as T };
  } catch {
    return { ok: false, reason: `dist/bench/${script.slice(2)}: no JSON on stdout` };
  }
}

/** One replication of the full model on `p` (about p.rate x p.duration calls), with its peak RSS. */
export function runMemory(p: MmcParams, timeoutMs = 300_000): Outcome<MemoryRun> {
  const args = ['rate', 'agents', 'talk', 'patience', 'duration', 'seed'].map((k) => `--${k}=${p[k as keyof MmcParams]}`);
  return jsonChild<MemoryRun>('./million.js', args, timeoutMs);
}

/** The default scenario loaded once and simulated `reps` times (simulateOnce), in one child. */
export function runDefaultDay(reps: number, timeoutMs = 300_000): Outcome<DefaultDayRun> {
  return jsonChild<DefaultDayRun>('./default-day.js', [`--reps=${reps}`], timeoutMs);
}

/** `fraction` of the million-call day with SIP signaling and with direct, in a child with the CLI's V8 flags (sip-day.ts). */
export function runSipDay(fraction: number, timeoutMs = 900_000): Outcome<SipDayBench> {
  return jsonChild<SipDayBench>('./sip-day.js', [`--fraction=${fraction}`], timeoutMs);
}

export interface CliRun {
  /** Wall seconds from spawn to exit: Node start-up, module loading, YAML, the day, the report. */
  readonly wallSeconds: number;
  /** 0: every SLA held; 1: one failed. Both are a completed run. */
  readonly status: number;
}

/** `node dist/bin/callsim.js run --quiet` from the repository root (the default scenario), timed from outside. */
export function runCli(timeoutMs = 120_000): Outcome<CliRun> {
  const start = performance.now();
  const child = spawnSync(process.execPath, [CALLSIM_BIN, 'run', '--quiet'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wallSeconds = (performance.now() - start) / 1000;
  if (child.error) return { ok: false, reason: `callsim run: ${child.error.message}` };
  if (child.signal) return { ok: false, reason: `callsim run: killed by ${child.signal}` };
  if (child.status !== 0 && child.status !== 1) {
    const msg = oneLine(child.stderr) || oneLine(child.stdout) || '(no message)';
    return { ok: false, reason: `callsim run: exit ${child.status}: ${msg}` };
  }
  return { ok: true, run: { wallSeconds, status: child.status } };
}
