// `callsim run [SCENARIO]`: simulate a scenario in virtual time, print the summary and the
// SLA verdicts, write summary.json with --out, and exit 0 (every SLA held), 1 (one failed),
// 2 (bad input) or 130 (interrupted; what ran is still written, marked partial).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { simulate } from '../../sim/metrics/simulate.js';
import { slaServiceLevelThresholds, summarize, summaryJson } from '../../sim/metrics/summary.js';
import { loadScenario } from '../../sim/scenario/load.js';
import { formatConsoleSummary, styleFor } from '../../reports/console.js';
import { EXIT, UsageError } from '../exit-codes.js';

export const DEFAULT_SCENARIO = 'scenarios/12333-province.yaml';

export interface RunArgs {
  scenario: string;
  seed?: number;
  set?: string[];
  out?: string;
  json?: boolean;
  replications: number;
  quiet?: boolean;
}

/** The scenario flags every simulating command shares, as --set lines. */
export function scenarioSets(args: { seed?: number; set?: string[] }): string[] {
  const sets = [...(args.set ?? [])];
  if (args.seed !== undefined) {
    if (!Number.isSafeInteger(args.seed) || args.seed < 0) throw new UsageError(`--seed ${args.seed}: expected a whole number >= 0`);
    sets.push(`seed=${args.seed}`);
  }
  return sets;
}

export function runCommand(setCode: (code: number) => void): CommandModule<object, RunArgs> {
  return {
    command: 'run [scenario]',
    describe: 'Simulate a scenario in virtual time and check its SLAs',
    builder: (y) =>
      y
        .positional('scenario', { type: 'string', default: DEFAULT_SCENARIO, describe: 'scenario file (YAML)' })
        .option('seed', { type: 'number', describe: 'random seed (overrides the scenario\'s)' })
        .option('set', { type: 'string', array: true, describe: 'override a scenario field: path=value (repeatable)' })
        .option('out', { type: 'string', describe: 'write summary.json (and friends) into this folder' })
        .option('json', { type: 'boolean', describe: 'print summary.json to stdout instead of the table' })
        .option('replications', { type: 'number', default: 1, describe: 'independent replications (95 % intervals across them)' })
        .option('quiet', { type: 'boolean', describe: 'no progress on stderr' }) as never,
    handler: async (args) => {
      if (!Number.isSafeInteger(args.replications) || args.replications < 1) {
        throw new UsageError(`--replications ${args.replications}: expected a whole number >= 1`);
      }
      const scenario = loadScenario(args.scenario, { sets: scenarioSets(args) });
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      const started = performance.now();
      let reps;
      try {
        reps = await simulate(scenario, args.replications, {
          serviceLevelThresholds: slaServiceLevelThresholds(scenario),
          signal: controller.signal,
          onReplication: (rep) => {
            if (!args.quiet && args.replications > 1 && process.stderr.isTTY) {
              process.stderr.write(`\rreplication ${rep.index + 1}/${args.replications}`);
            }
          },
        });
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      if (!args.quiet && args.replications > 1 && process.stderr.isTTY) process.stderr.write('\n');
      const partial = controller.signal.aborted;
      if (reps.length === 0) {
        process.stderr.write('callsim: interrupted before any call was simulated; nothing written\n');
        setCode(EXIT.interrupted);
        return;
      }
      const summary = summarize(scenario, reps, { partial, wallSeconds: (performance.now() - started) / 1000, now: new Date() });
      for (const r of reps) r.collector.destroy();
      if (args.out) {
        mkdirSync(args.out, { recursive: true });
        writeFileSync(join(args.out, 'summary.json'), summaryJson(summary));
      }
      process.stdout.write(args.json ? summaryJson(summary) : formatConsoleSummary(summary, styleFor(process.stdout)));
      if (!args.quiet && !args.json) {
        const evs = summary.timing.events;
        process.stderr.write(
          `${(evs / 1e6).toFixed(2)}M events in ${summary.timing.wallSeconds.toFixed(2)} s` +
            (args.out ? `; wrote ${join(args.out, 'summary.json')}` : '') +
            '\n',
        );
      }
      setCode(partial ? EXIT.interrupted : summary.pass ? EXIT.ok : EXIT.slaFailed);
    },
  };
}
