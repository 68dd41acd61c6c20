// `callsim run [SCENARIO]`: simulate a scenario in virtual time, print the summary and the
// SLA verdicts, write summary.json with --out, and exit 0 (every SLA held), 1 (one failed),
// 2 (bad input) or 130 (interrupted; what ran is still written, marked partial).
// Replications run in this thread with --workers 1; with --workers W, on this thread and
// W - 1 worker threads; either way each is merged into the pooled results as it ends, in
// index order, so the summary is the same for any --workers and memory does not grow with
// --replications (sim/metrics/pooled-replications.ts).

import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { simulateOnWorkers, startReplicationWorkers } from '../../sim/metrics/replication-pool.js';
import { RunProgress } from '../../sim/metrics/run-progress.js';
import { PooledReplications } from '../../sim/metrics/pooled-replications.js';
import { simulate, type Replication, type SimulateOptions } from '../../sim/metrics/simulate.js';
import { slaServiceLevelThresholds, summarizePooled, summaryJson } from '../../sim/metrics/summary.js';
import { loadScenario } from '../../sim/scenario/load.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { CallsCsvWriter } from '../../reports/calls-csv.js';
import { formatConsoleSummary, styleFor } from '../../reports/console.js';
import { histogramLog } from '../../reports/hlog.js';
import { writeReport } from '../../reports/html.js';
import { junitXml } from '../../reports/junit.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { wholeFlag, workersFlag } from '../flags.js';
import { prepareOutDir } from '../out-dir.js';

export const DEFAULT_SCENARIO = 'scenarios/12333-province.yaml';

export interface RunArgs {
  scenario: string;
  seed?: number;
  set?: string[];
  out?: string;
  json?: boolean;
  replications: number;
  workers?: number;
  quiet?: boolean;
  signaling?: string;
  'calls-csv'?: boolean;
}

/** The scenario flags every simulating command shares, as --set lines. */
export function scenarioSets(args: { seed?: number; set?: string[] }): string[] {
  const sets = [...(args.set ?? [])];
  if (args.seed !== undefined) {
    sets.push(`seed=${wholeFlag('seed', args.seed, { min: 0 })}`);
  }
  return sets;
}

/** --workers: as given (at most one per replication); by default 1 for one replication, else one per core. */
export function workerCount(replications: number, workers: number | undefined): number {
  return Math.min(replications, workersFlag(workers) ?? availableParallelism());
}

/** Before this many wall seconds, no progress bar: a short run stays quiet. */
const PROGRESS_AFTER = 1;
const PROGRESS_EVERY_MS = 250;

/** The progress bar on stderr: redrawn a few times a second once the run has lasted PROGRESS_AFTER, erased at the end. */
class ProgressBar {
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;
  private shown = false;

  constructor(
    readonly progress: RunProgress,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.timer = setInterval(() => this.draw(), PROGRESS_EVERY_MS);
    this.timer.unref();
  }

  private draw(): void {
    const elapsed = (performance.now() - this.started) / 1000;
    if (elapsed < PROGRESS_AFTER) return;
    const line = this.progress.line(elapsed, { width: this.stream.columns || 80, color: styleFor(this.stream).color });
    this.stream.write(`\r${line}\u001b[K`);
    this.shown = true;
  }

  end(): void {
    clearInterval(this.timer);
    if (this.shown) this.stream.write('\r\u001b[K');
  }
}

export function runCommand(setCode: (code: number) => void): CommandModule<object, RunArgs> {
  return {
    command: 'run [scenario]',
    describe: 'Simulate a scenario in virtual time and check its SLAs',
    builder: (y) =>
      y
        .positional('scenario', { type: 'string', default: DEFAULT_SCENARIO, describe: 'scenario file (YAML)' })
        .option('seed', { type: 'number', describe: 'random seed (overrides the scenario\'s)' })
        .option('set', { type: 'string', array: true, nargs: 1, describe: 'override a scenario field: path=value (repeatable)' })
        .option('out', { type: 'string', describe: 'write summary.json (and friends) into this folder' })
        .option('json', { type: 'boolean', describe: 'print summary.json to stdout instead of the table' })
        .option('replications', { type: 'number', default: 1, describe: 'independent replications (95 % intervals across them)' })
        .option('workers', {
          type: 'number',
          describe: 'threads running the replications, the main one included (default: 1 for one replication, else one per core; 1 runs them in the main thread)',
        })
        .option('signaling', { type: 'string', choices: ['direct', 'sip'], describe: 'direct, or every caller a SIP user agent over in-memory SIP (sets the scenario\'s `signaling`)' })
        .option('calls-csv', { type: 'boolean', describe: 'also write calls.csv (one row per call, streamed) into --out; replications then run in this thread' })
        .option('quiet', { type: 'boolean', describe: 'no progress on stderr' }) as never,
    handler: async (args) => {
      wholeFlag('replications', args.replications, { min: 1 });
      if (args['calls-csv'] && !args.out) throw new UsageError('--calls-csv writes into the --out folder: give --out DIR');
      // calls.csv streams from the model, which only a replication in this thread can do
      const workers = args['calls-csv'] ? 1 : workerCount(args.replications, args.workers);
      const sets = scenarioSets(args);
      if (args.signaling !== undefined) sets.push(`signaling=${args.signaling}`);
      // This thread is one of the `workers`; the others start now and load their modules while the scenario is parsed.
      const pool = workers > 1 ? startReplicationWorkers(workers - 1) : undefined;
      let scenario: Scenario;
      try {
        scenario = loadScenario(args.scenario, { sets });
        if (args.out !== undefined) prepareOutDir(args.out);
      } catch (e) {
        await pool?.destroy();
        throw e;
      }
      // One calls.csv writer for the run (--calls-csv runs the replications one after the
      // other in this thread): each replication's rows follow the last one's, and its records
      // go on to that replication's collector.
      let csv: CallsCsvWriter | undefined;
      // First Ctrl-C: stop, keep what ran (partial). Second: drop the replications still running. Third: leave now.
      const stop = new AbortController();
      const kill = new AbortController();
      let interrupts = 0;
      const onSigint = (): void => {
        interrupts++;
        if (interrupts === 1) stop.abort();
        else if (interrupts === 2) kill.abort();
        else process.exit(EXIT.interrupted);
      };
      process.on('SIGINT', onSigint);
      const started = performance.now();
      const progress = new RunProgress(args.replications, scenario.duration);
      const bar = !args.quiet && process.stderr.isTTY ? new ProgressBar(progress, process.stderr) : undefined;
      const options: SimulateOptions = {
        serviceLevelThresholds: slaServiceLevelThresholds(scenario),
        signal: stop.signal,
        onProgress: (p) => progress.update(p),
        onReplication: (end) => progress.end(end.index, end.calls),
        sink: args['calls-csv']
          ? (index, collector) => {
              csv ??= new CallsCsvWriter(join(args.out!, 'calls.csv'), { warmup: scenario.warmup });
              csv.replication = index;
              csv.next = collector;
              return csv;
            }
          : undefined,
      };
      const pooled = new PooledReplications(scenario.serviceLevel.definition);
      const fold = (rep: Replication): void => pooled.add(rep);
      try {
        if (workers === 1) await simulate(scenario, args.replications, fold, options);
        else await simulateOnWorkers(scenario, args.replications, fold, { ...options, workers, abort: kill.signal, pool });
      } finally {
        await pool?.destroy();
        bar?.end();
        process.removeListener('SIGINT', onSigint);
        await csv?.close();
      }
      const partial = stop.signal.aborted;
      const replications = pooled.replications.length;
      if (replications === 0) {
        process.stderr.write('callsim: interrupted before any call was simulated; nothing written\n');
        setCode(EXIT.interrupted);
        return;
      }
      const summary = summarizePooled(scenario, pooled, { partial, wallSeconds: (performance.now() - started) / 1000, now: new Date() });
      const written: string[] = [];
      if (args.out) {
        const out = args.out;
        const put = (name: string, text: string): void => {
          writeFileSync(join(out, name), text);
          written.push(name);
        };
        put('summary.json', summaryJson(summary));
        put('junit.xml', junitXml(summary));
        put('histograms.hlog', histogramLog(pooled.collector, {
          startTime: scenario.start,
          intervalStart: scenario.warmup,
          intervalEnd: scenario.duration,
          comments: [`scenario: ${scenario.name} (${scenario.file}), seed ${scenario.seed}, ${replications} replication(s)`],
        }));
        writeReport(out, summary);
        written.push('report.html');
        if (args['calls-csv']) written.push('calls.csv');
      }
      pooled.destroy();
      process.stdout.write(args.json ? summaryJson(summary) : formatConsoleSummary(summary, styleFor(process.stdout)));
      if (!args.quiet && !args.json) {
        const evs = summary.timing.events;
        process.stderr.write(
          `${(evs / 1e6).toFixed(2)}M events in ${summary.timing.wallSeconds.toFixed(2)} s` +
            (workers > 1 ? ` on ${workers} workers` : '') +
            (args.out ? `; wrote ${written.join(', ')} in ${args.out}` : '') +
            '\n',
        );
      }
      setCode(partial ? EXIT.interrupted : summary.pass ? EXIT.ok : EXIT.slaFailed);
    },
  };
}
