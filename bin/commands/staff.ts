// `callsim staff [SCENARIO]`: the fewest agents per center that meet every SLA. Erlang A on
// a pilot run's load gives the starting point, simulation with replications confirms
// (sim/metrics/staffing.ts). Prints a staffing table (or JSON) and exits 0 when a staffing
// meeting every SLA was found, 1 when none was within the limits, 2 on bad input, 130 on
// Ctrl-C. The wall-clock budget lives here: sim/ only asks `shouldStop()`.

import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { findStaffing, type CenterStaffing, type SlaMargin, type StaffingResult } from '../../sim/metrics/staffing.js';
import type { IntervalNeed } from '../../sim/metrics/staffing-erlang.js';
import { loadScenario } from '../../sim/scenario/load.js';
import { DURATION_EXPECTED, formatDuration, parseDuration } from '../../sim/scenario/units.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { wholeFlag, workersFlag } from '../flags.js';
import { DEFAULT_SCENARIO, scenarioSets } from './run.js';

interface StaffArgs {
  scenario: string;
  interval?: string;
  replications: number;
  workers?: number;
  budget: string;
  maxAgents?: number;
  maxTrials: number;
  seed?: number;
  set?: string[];
  json?: boolean;
  quiet?: boolean;
}

export const DEFAULT_BUDGET = '10m';

export function staffCommand(setCode: (code: number) => void): CommandModule<any, any> {
  const command: CommandModule<object, StaffArgs> = {
    command: 'staff [scenario]',
    describe: 'The fewest agents per center that meet every SLA: Erlang A to start, simulation to confirm',
    builder: (y) =>
      y
        .positional('scenario', { type: 'string', default: DEFAULT_SCENARIO, describe: 'scenario file (YAML)' })
        .option('interval', { type: 'string', describe: 'also give the agents needed on duty per interval, e.g. 1h, 30m (Erlang A)' })
        .option('replications', { type: 'number', default: 5, describe: 'replications per trial (95 % intervals across them)' })
        .option('workers', { type: 'number', describe: 'worker threads for each trial (default one per core; the answer is the same for any number)' })
        .option('budget', { type: 'string', default: DEFAULT_BUDGET, describe: 'wall-clock time the search may take, e.g. 60s, 5m' })
        .option('max-agents', { type: 'number', describe: 'highest head count to try at any center (default: per center, 2x the larger of current and Erlang A, at least +10)' })
        .option('max-trials', { type: 'number', default: 60, describe: 'trials (joint simulations) at most' })
        .option('seed', { type: 'number', describe: "random seed (overrides the scenario's)" })
        .option('set', { type: 'string', array: true, nargs: 1, describe: 'override a scenario field: path=value (repeatable)' })
        .option('json', { type: 'boolean', describe: 'print the result as JSON instead of the table' })
        .option('quiet', { type: 'boolean', describe: 'no progress on stderr' })
        .example('$0 staff scenarios/validation/erlang-c.yaml', 'the Erlang C minimum, confirmed by simulation')
        .example('$0 staff --interval 1h --budget 2m', 'the default scenario, with agents needed per hour') as never,
    handler: async (args) => {
      const options = validate(args);
      const scenario = loadScenario(args.scenario, { sets: scenarioSets(args) });
      const controller = new AbortController();
      let interrupted = false;
      const onSigint = (): void => {
        interrupted = true;
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      const timer = setTimeout(() => controller.abort(), options.budget * 1000);
      timer.unref();
      const started = performance.now();
      const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
      const progress = (text: string): void => {
        if (!args.quiet) process.stderr.write(`${text}\n`);
      };
      let result: StaffingResult;
      try {
        progress(`pilot run and Erlang A for ${scenario.centers.length} center${scenario.centers.length === 1 ? '' : 's'} ...`);
        result = await findStaffing(scenario, {
          replications: args.replications,
          workers: Math.min(args.replications, args.workers ?? availableParallelism()),
          ...(options.interval !== undefined && { intervalLength: options.interval, perInterval: true }),
          ...(args.maxAgents !== undefined && { maxAgents: args.maxAgents }),
          maxTrials: args.maxTrials,
          shouldStop: () => controller.signal.aborted,
          signal: controller.signal,
          onTrial: (e) => {
            if (e.phase === 'start') return;
            const total = Object.values(e.staffing).reduce((a, b) => a + b, 0);
            const fails = e.trial!.pass ? 'every SLA held' : `failed: ${failedCenters(e.trial!)}`;
            progress(`trial ${e.index + 1}: ${total} agents (${compact(e.staffing)}): ${fails} [${elapsed()}]`);
          },
        });
      } finally {
        clearTimeout(timer);
        process.removeListener('SIGINT', onSigint);
      }
      const stopped = interrupted ? 'interrupted' : result.stopped;
      process.stdout.write(args.json ? `${json({ ...result, stopped, wallSeconds: (performance.now() - started) / 1000 })}\n` : formatStaffing(result, stopped, args.budget));
      setCode(interrupted ? EXIT.interrupted : result.pass ? EXIT.ok : EXIT.slaFailed);
    },
  };
  return command;
}

function validate(args: StaffArgs): { budget: number; interval?: number } {
  const whole = (flag: string, n: number | undefined, min: number): void => void wholeFlag(flag, n, { min });
  whole('replications', args.replications, 1);
  workersFlag(args.workers);
  whole('max-trials', args.maxTrials, 1);
  whole('max-agents', args.maxAgents, 1);
  const budget = parseDuration(String(args.budget));
  if (budget === undefined || !(budget > 0)) throw new UsageError(`--budget ${args.budget}: expected ${DURATION_EXPECTED}, more than 0`);
  if (args.interval === undefined) return { budget };
  const interval = parseDuration(String(args.interval));
  if (interval === undefined || !(interval >= 60)) throw new UsageError(`--interval ${args.interval}: expected ${DURATION_EXPECTED}, at least 1m`);
  return { budget, interval };
}

/** JSON for the result: NaN and Infinity become null. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}

function compact(s: Readonly<Record<string, number>>): string {
  return Object.entries(s)
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
}

function failedCenters(t: { platform: { pass: boolean }; centers: Readonly<Record<string, { pass: boolean }>> }): string {
  const ids = Object.entries(t.centers)
    .filter(([, v]) => !v.pass)
    .map(([id]) => id);
  return ids.length > 0 ? ids.join(', ') : 'the platform';
}

// ---------------------------------------------------------------------------------------
// The table

const VERDICTS: Readonly<Record<CenterStaffing['verdict'], string>> = {
  minimal: 'minimal',
  'minimal-within-noise': 'minimal within noise',
  'at-minimum': 'at minimum (1 per group)',
  'not-proven-minimal': 'not proven minimal',
  'cannot-meet': 'cannot meet the SLAs',
  'none-found': 'none found',
};

function table(rows: string[][], rightFrom: number): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => (i >= rightFrom && i < r.length - 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

const signed = (x: number, digits: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

/** A margin in the SLA's unit: percentage points for rates, seconds for times, plain for counts. */
function marginText(m: SlaMargin | undefined): string {
  if (!m || !m.applicable) return 'n/a';
  if (m.margin === null) return m.pass ? 'pass' : (m.detail ?? 'fail');
  const rate = m.kind === 'rate';
  const scale = rate ? 100 : 1;
  const unit = rate ? 'pp' : m.kind === 'duration' ? 's' : '';
  const whole = [m.margin, m.ci95?.low ?? 0, m.ci95?.high ?? 0].every(Number.isInteger);
  const digits = rate ? 1 : m.kind === 'duration' || !whole ? 2 : 0;
  const value = `${signed(m.margin * scale, digits)}${unit}`;
  const ci = m.ci95 ? ` [${signed(m.ci95.low * scale, digits)}, ${signed(m.ci95.high * scale, digits)}]` : '';
  return `${value}${ci}${m.pass ? '' : ' ✗'}`;
}


/** The staffing table and notes, for people. */
export function formatStaffing(r: StaffingResult, stopped: string, budget: string): string {
  const out: string[] = [];
  const s = r.scenario;
  out.push(`${s.name} (${s.file}): seed ${s.seed}, ${formatDuration(s.duration)} per trial, ${r.replications} replication${r.replications === 1 ? '' : 's'} per trial`);
  out.push('A staffing passes when every SLA holds for the platform and for each center on its own calls;');
  out.push('margins are observed − threshold (positive = room to spare) with 95 % intervals across replications.');
  if (r.slas.simulationOnly.length > 0) out.push(`Erlang A does not model ${r.slas.simulationOnly.join(', ')}: simulation alone judges ${r.slas.simulationOnly.length === 1 ? 'it' : 'them'}.`);
  out.push('');
  const shown = (c: CenterStaffing) => c.margins ?? c.latest?.margins;
  const slaHeads = (r.centers.map(shown).find((m) => m !== undefined) ?? r.best?.platform)?.slas.map((m) => `${m.metric} ${m.expr}`) ?? [];
  const rows: string[][] = [['center', 'agents', 'Erlang A', 'calls/h', ...slaHeads, 'verdict']];
  for (const c of r.centers) {
    const agents =
      c.needed !== undefined ? `${c.current} → ${c.needed}` : c.latest ? `${c.current} → ? (tried ${c.latest.agents})` : `${c.current} → ?`;
    const margins = slaHeads.map((_, i) => marginText(shown(c)?.slas[i]));
    const erlang = c.erlang.agents === undefined ? `>${c.limit}` : String(c.erlang.agents);
    rows.push([c.id, agents, erlang, String(Math.round(c.erlang.callsPerHour)), ...margins, VERDICTS[c.verdict]]);
  }
  if (r.best) {
    const current = r.centers.reduce((a, c) => a + c.current, 0);
    const calls = r.centers.reduce((a, c) => a + c.erlang.callsPerHour, 0);
    rows.push(['platform', `${current} → ${r.best.total}`, sumErlang(r.centers), String(Math.round(calls)), ...r.best.platform.slas.map((m) => marginText(m)), '']);
  }
  out.push(table(rows, 1));
  if (!r.best && r.trials.length > 0) out.push(`(margins of the last trial, trial ${r.trials.length})`);
  out.push('');
  for (const c of r.centers) {
    if (!c.below) continue;
    const failed = c.below.margins.slas.filter((m) => !m.pass).map((m) => `${m.metric} ${m.expr} by ${marginText(m).replace(/ ✗$/, '')}`);
    out.push(`${c.id}: ${c.below.agents} agents failed ${failed.join(', ')} (trial ${c.below.trial + 1})${c.verdict === 'minimal-within-noise' ? ', within noise: more replications may decide it' : ''}`);
  }
  out.push(erlangNote(r));
  out.push('');
  out.push(conclusion(r, stopped, budget));
  if (r.intervals) {
    out.push('');
    out.push(intervalTable(r));
  }
  return `${out.join('\n')}\n`;
}

/** What Erlang A was fed: one line when every center shares handle time and patience. */
function erlangNote(r: StaffingResult): string {
  const inputs = (c: CenterStaffing): string =>
    `AHT ${formatDuration(+c.erlang.aht.toFixed(1))}, mean patience ${Number.isFinite(c.erlang.patience) ? formatDuration(+c.erlang.patience.toFixed(1)) : 'none'}`;
  const all = new Set(r.centers.map(inputs));
  const scope = `per ${formatDuration(r.pilot.intervalLength)} interval${r.scenario.warmup > 0 ? ' after the warm-up' : ''}`;
  const what = all.size === 1 ? [...all][0]! : r.centers.map((c) => `${c.id}: ${inputs(c)}`).join('; ');
  return `Erlang A: the calls each center's queue took in a pilot run (dispatch off), ${scope}; ${what} (ringing + talk + hold + wrap-up).`;
}

function sumErlang(centers: readonly CenterStaffing[]): string {
  return centers.every((c) => c.erlang.agents !== undefined) ? String(centers.reduce((a, c) => a + c.erlang.agents!, 0)) : '-';
}

function conclusion(r: StaffingResult, stopped: string, budget: string): string {
  const trials = `${r.trials.length} trial${r.trials.length === 1 ? '' : 's'}`;
  const why: Record<string, string> = {
    budget: `the budget (${budget}) ran out`,
    interrupted: 'interrupted',
    trials: 'the trial limit was reached',
    stuck: 'the centers did not settle (noise or interaction)',
    limit: 'a center reached its head-count limit',
  };
  if (!r.pass) return `No staffing met every SLA in ${trials}: ${stopped === 'interrupted' ? why.interrupted : (r.message ?? why[stopped] ?? stopped)}.`;
  if (r.proven) return `${r.best!.total} agents in all meet every SLA (${trials}); the verdicts say which centers' minimum is beyond noise.`;
  return `${r.best!.total} agents in all meet every SLA (${trials}), but ${why[stopped] ?? stopped}: the best staffing confirmed so far, not proven minimal.`;
}

function intervalTable(r: StaffingResult): string {
  const ids = Object.keys(r.intervals!.centers);
  const needs = ids.map((id) => r.intervals!.centers[id]!);
  const rows: string[][] = [['interval', ...ids, 'all']];
  const days = r.scenario.duration > 86400;
  const count = needs[0]?.length ?? 0;
  for (let i = 0; i < count; i++) {
    const cells = needs.map((n) => n[i]!);
    if (cells.every((c) => c.callsPerHour === 0 && c.onDuty < 0.05)) continue;
    const first = cells[0]!;
    const when = days ? first.start.slice(5, 16).replace('T', ' ') : first.start.slice(11, 16);
    const sum = cells.reduce((a, c) => a + (c.needed ?? NaN), 0);
    const duty = cells.reduce((a, c) => a + c.onDuty, 0);
    rows.push([`${when}${first.warmup ? ' (warm-up)' : ''}`, ...cells.map(cell), `${Number.isFinite(sum) ? sum : '?'} (${duty.toFixed(1)})`]);
  }
  return [
    `Agents needed on duty per ${formatDuration(r.intervals!.length)} (on duty in the pilot): Erlang A on each interval's load, each interval judged alone.`,
    'Simulation confirms the whole-run staffing above, not these per-interval figures.',
    table(rows, 1),
  ].join('\n');
}

function cell(n: IntervalNeed): string {
  return `${n.needed ?? '?'} (${n.onDuty.toFixed(1)})`;
}
