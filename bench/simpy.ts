// Runs bench/simpy_mmc.py (SimPy 2, Debian's python3-simpy) as a child process and reads
// its JSON. SimPy is an outside reference, not a dependency: when it cannot run, the bench
// says why and carries on without that ratio.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MmcParams, MmcResult } from './mmc.js';

/** Debian installs SimPy for the system interpreter only; a pyenv `python3` on PATH cannot import it. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

export interface SimpyRun extends MmcResult {
  /** SimPy process resumptions (its own unit of work; several per call). */
  readonly steps: number;
  /** Wall seconds of the simulation, measured inside Python (interpreter start-up excluded). */
  readonly wallSeconds: number;
  readonly python: string;
  readonly simpy: string;
}

export type SimpyOutcome = { readonly ok: true; readonly run: SimpyRun } | { readonly ok: false; readonly reason: string };

/** The script sits in bench/ beside this file's source; the compiled file runs from dist/bench/. */
function scriptPath(): string | undefined {
  const candidates = [new URL('./simpy_mmc.py', import.meta.url), new URL('../../bench/simpy_mmc.py', import.meta.url)];
  return candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
}

export function runSimpy(p: MmcParams, python = DEFAULT_PYTHON, timeoutMs = 600_000): SimpyOutcome {
  const script = scriptPath();
  if (script === undefined) return { ok: false, reason: 'bench/simpy_mmc.py not found' };
  const args = [
    script,
    `--rate=${p.rate}`,
    `--agents=${p.agents}`,
    `--talk=${p.talk}`,
    `--patience=${p.patience}`,
    `--duration=${p.duration}`,
    `--seed=${p.seed}`,
  ];
  const child = spawnSync(python, args, { encoding: 'utf8', timeout: timeoutMs });
  if (child.error) return { ok: false, reason: `cannot run ${python}: ${child.error.message}` };
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } catch {
    const why = child.stderr.trim().split('\n').pop() ?? `exit ${child.status}`;
    return { ok: false, reason: `${python} ${script} failed: ${why}` };
  }
  if (typeof out['error'] === 'string') return { ok: false, reason: out['error'] };
  const num = (k: string): number => {
    const v = out[k];
    if (typeof v !== 'number') throw new TypeError(`simpy_mmc.py: missing number "${k}" in ${child.stdout}`);
    return v;
  };
  return {
    ok: true,
    run: {
      calls: num('calls'),
      answered: num('answered'),
      abandoned: num('abandoned'),
      events: num('events'),
      endTime: num('end_time'),
      steps: num('steps'),
      wallSeconds: num('wall_s'),
      python: String(out['python']),
      simpy: String(out['simpy']),
    },
  };
}
