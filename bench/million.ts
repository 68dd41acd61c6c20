// Child process of the bench (`node dist/bench/million.js --rate 11.6 --agents 2400 ...`):
// one replication of the full callsim model (`simulateOnce` on a `queueScenario`, as
// full-model.ts) with about rate x duration calls, in a process of its own so that its
// resident set size is its own. Prints one line of JSON (a MemoryRun) on stdout.
//
// Peak RSS is the kernel's high-water mark (VmHWM in /proc/self/status) read at the end:
// the true peak, whatever happened between samples. The run is synchronous, so the
// trajectory is sampled by wrapping MetricsCollector.prototype.call in this process only:
// every `sampleEvery` call records (calls so far, RSS, V8 heap used), about 20 samples a
// run, which shows whether memory climbs with the calls as they stream in. At the end, with
// the replication's collector still referenced, a full garbage collection leaves the heap
// the run retains (heapAfterGc): the figure that would grow if anything kept every call.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CallRecord } from '../sim/acd/records.js';
import { MetricsCollector } from '../sim/metrics/collector.js';
import { simulateOnce } from '../sim/metrics/simulate.js';
import { mmcScenario } from './full-model.js';
import { exposeGc } from './gc.js';
import { MILLION_MODEL, type MmcParams } from './mmc.js';

export interface MemorySample {
  /** Call records streamed into the collector so far. */
  readonly calls: number;
  readonly rss: number;
  readonly heapUsed: number;
}

export interface MemoryRun extends MmcParams {
  readonly calls: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly events: number;
  readonly wallSeconds: number;
  readonly callsPerSecond: number;
  /** RSS before the scenario is built: Node itself and the loaded modules. */
  readonly rssStart: number;
  readonly rssEnd: number;
  /** The process's peak RSS, bytes (VmHWM, or getrusage's maxrss where there is no /proc). */
  readonly peakRss: number;
  readonly peakSource: 'VmHWM' | 'maxrss';
  /** V8 heap in use after a full garbage collection at the end, the collector still alive: what the run retains. */
  readonly heapAfterGc: number;
  readonly samples: readonly MemorySample[];
}

/** VmHWM ("high water mark", peak resident set) from /proc/self/status, in bytes; undefined off Linux. */
function vmHwm(): number | undefined {
  try {
    const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: String(MILLION_MODEL.rate) },
      agents: { type: 'string', default: String(MILLION_MODEL.agents) },
      talk: { type: 'string', default: String(MILLION_MODEL.talk) },
      patience: { type: 'string', default: String(MILLION_MODEL.patience) },
      duration: { type: 'string', default: String(MILLION_MODEL.duration) },
      seed: { type: 'string', default: String(MILLION_MODEL.seed) },
    },
  });
  const num = (k: keyof typeof values): number => {
    const n = Number(values[k]);
    if (!(n > 0)) throw new RangeError(`--${k} must be a positive number, got "${values[k]}"`);
    return n;
  };
  const p: MmcParams = {
    rate: num('rate'),
    agents: num('agents'),
    talk: num('talk'),
    patience: num('patience'),
    duration: num('duration'),
    seed: num('seed'),
  };
  const gc = exposeGc();
  const rssStart = process.memoryUsage.rss();

  const samples: MemorySample[] = [];
  const sampleEvery = Math.max(1000, Math.ceil((p.rate * p.duration) / 20));
  let seen = 0;
  const call = MetricsCollector.prototype.call;
  MetricsCollector.prototype.call = function (this: MetricsCollector, r: CallRecord): void {
    call.call(this, r);
    if (++seen % sampleEvery === 0) {
      const m = process.memoryUsage();
      samples.push({ calls: seen, rss: m.rss, heapUsed: m.heapUsed });
    }
  };

  const scenario = mmcScenario(p);
  const start = performance.now();
  const rep = simulateOnce(scenario, p.seed);
  const wallSeconds = (performance.now() - start) / 1000;
  const end = process.memoryUsage();
  samples.push({ calls: seen, rss: end.rss, heapUsed: end.heapUsed });
  const c = rep.collector.counters;
  const hwm = vmHwm();
  const maxrss = process.resourceUsage().maxRSS * 1024;
  gc();
  const heapAfterGc = process.memoryUsage().heapUsed;
  const run: MemoryRun = {
    ...p,
    calls: c.offered,
    answered: c.answered,
    abandoned: c.abandoned,
    events: rep.events,
    wallSeconds,
    callsPerSecond: c.offered / wallSeconds,
    rssStart,
    rssEnd: end.rss,
    peakRss: hwm ?? maxrss,
    peakSource: hwm === undefined ? 'maxrss' : 'VmHWM',
    samples,
    heapAfterGc,
  };
  rep.collector.destroy();
  process.stdout.write(JSON.stringify(run) + '\n');
}

try {
  main();
} catch (e) {
  // One message, no stack: the bench shows it as the reason this figure was not measured.
  process.stderr.write(`million: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
