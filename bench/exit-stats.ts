// Loaded into a `callsim run` child with `node --import`, so that the bench times the real
// command without touching it: when the process exits, this writes its CPU time (every
// thread, worker threads included) and the wall time since the process started into the
// file named by CALLSIM_BENCH_STATS, as one JSON ExitStats.

import { writeFileSync } from 'node:fs';

export interface ExitStats {
  /** Milliseconds from the process's start (performance.timeOrigin) to its exit. */
  readonly wallMs: number;
  /** User + system CPU seconds of the whole process. */
  readonly cpuSeconds: number;
  /** Peak RSS, bytes. */
  readonly maxRss: number;
}

const file = process.env['CALLSIM_BENCH_STATS'];
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const stats: ExitStats = { wallMs: performance.now(), cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRss: process.resourceUsage().maxRSS * 1024 };
    writeFileSync(file, JSON.stringify(stats));
  });
}
