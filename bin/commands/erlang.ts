// `callsim erlang <b|c|a>`: the closed-form answer for one agent pool, either the measures at
// a given staffing (--agents) or the fewest agents meeting the goals given (--sl, --asa,
// --blocking, --abandon, --wait). Results go to stdout: a table, or one JSON object.

import type { CommandModule } from 'yargs';
import {
  agentsForErlangA,
  agentsForErlangC,
  erlangA,
  type ErlangAMetrics,
  type ErlangAServiceLevelDefinition,
  erlangB,
  erlangCMetrics,
  type ErlangCMetrics,
  ErlangInputError,
  ErlangTargetError,
  linesForBlocking,
  MAX_SERVERS,
  type StaffingGoal,
} from '../../sim/acd/erlang.js';
import { DURATION_EXPECTED, formatDuration, parseDuration, parseRate, RATE_EXPECTED } from '../../sim/scenario/units.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { parseWhole } from '../flags.js';

type Model = 'b' | 'c' | 'a';

interface ErlangArgs {
  model: Model;
  rate?: unknown;
  aht?: unknown;
  agents?: unknown;
  target?: unknown;
  patience?: unknown;
  sl?: unknown;
  slDefinition?: unknown;
  asa?: unknown;
  wait?: unknown;
  abandon?: unknown;
  blocking?: unknown;
  json?: boolean;
}

/** The service-level definitions as written on the command line. */
const DEFINITION_FLAGS: Readonly<Record<string, ErlangAServiceLevelDefinition>> = {
  strict: 'strict',
  answered: 'answered',
  wait: 'wait',
  virtual: 'virtual',
  'short-abandons-excluded': 'shortAbandonsExcluded',
};

const MODEL_NAMES: Readonly<Record<Model, string>> = {
  b: 'Erlang B (M/M/c/c: blocked calls are lost)',
  c: 'Erlang C (M/M/c: callers wait until answered)',
  a: 'Erlang A (M/M/c+M: callers abandon after an exponential patience)',
};

/** Which flags mean something for which model; anything else is refused, not ignored. */
const APPLIES: Readonly<Record<string, readonly Model[]>> = {
  target: ['c', 'a'],
  patience: ['a'],
  sl: ['c', 'a'],
  'sl-definition': ['a'],
  asa: ['c', 'a'],
  wait: ['c', 'a'],
  abandon: ['a'],
  blocking: ['b'],
};

const GOAL_FLAGS = ['sl', 'asa', 'wait', 'abandon', 'blocking'] as const;

export function erlangCommand(
  setCode: (code: number) => void,
  write: (text: string) => void = (text) => void process.stdout.write(text),
): CommandModule<any, any> {
  const command: CommandModule<object, ErlangArgs> = {
    command: 'erlang <model>',
    describe: 'Erlang B, C or A for one agent pool: measures at a staffing, or the fewest agents for a goal',
    builder: (y) =>
      y
        .positional('model', {
          choices: ['b', 'c', 'a'] as const,
          describe: 'b: blocking (lost calls), c: waiting (infinite patience), a: waiting with abandonment',
        })
        .option('rate', { type: 'string', describe: 'arrival rate, e.g. 100/30m, 120/h, 1/s' })
        .option('aht', { type: 'string', describe: 'mean handle time, e.g. 180s' })
        .option('agents', { type: 'string', describe: 'agents (lines for b); omit to solve for the fewest meeting the goals' })
        .option('target', { type: 'string', describe: 'service-level threshold T, e.g. 20s (c, a)' })
        .option('patience', { type: 'string', describe: 'mean patience before abandoning, e.g. 5m (a; required)' })
        .option('sl', { type: 'string', describe: 'goal: service level within --target at least, e.g. 80% (c, a)' })
        .option('sl-definition', {
          type: 'string',
          describe: `which service level --sl is about (a): ${Object.keys(DEFINITION_FLAGS).join(', ')}; default strict`,
        })
        .option('asa', { type: 'string', describe: 'goal: ASA at most, e.g. 15s (c, a)' })
        .option('wait', { type: 'string', describe: 'goal: probability of waiting at most, e.g. 30% (c, a)' })
        .option('abandon', { type: 'string', describe: 'goal: abandonment at most, e.g. 5% (a)' })
        .option('blocking', { type: 'string', describe: 'goal: blocking at most, e.g. 2% (b)' })
        .option('json', { type: 'boolean', describe: 'print one JSON object instead of the table' })
        .example('$0 erlang c --rate 100/30m --aht 180s --agents 14 --target 20s', 'measures at 14 agents')
        .example('$0 erlang a --rate 100/30m --aht 180s --patience 5m --target 20s --sl 80%', 'fewest agents for 80 % in 20 s')
        .example('$0 erlang b --rate 10/h --aht 1h --blocking 2%', 'fewest lines for 2 % blocking') as never,
    handler: (args) => {
      try {
        const report = evaluate(args);
        write(args.json ? `${JSON.stringify(report.json)}\n` : report.table);
        setCode(EXIT.ok);
      } catch (err) {
        // The model's own range checks are still the user's input, so they exit 2 as well.
        if (err instanceof ErlangInputError || err instanceof ErlangTargetError) throw new UsageError(err.message);
        throw err;
      }
    },
  };
  return command;
}

interface Report {
  json: Record<string, unknown>;
  table: string;
}

function evaluate(args: ErlangArgs): Report {
  const model = args.model;
  for (const [flag, models] of Object.entries(APPLIES)) {
    if (given(args, flag) && !models.includes(model)) {
      throw new UsageError(`--${flag} does not apply to Erlang ${model.toUpperCase()}; it is for ${models.map((m) => `erlang ${m}`).join(', ')}`);
    }
  }
  const arrivalRate = required(args, 'rate', (t) => parseRate(t), RATE_EXPECTED);
  const aht = required(args, 'aht', (t) => positive(parseDuration(t)), `${DURATION_EXPECTED}, more than 0`);
  // time grows with the agents (10,000,000 take about a second): a typo of many zeros is a mistake, not a wait
  const agents = optional(args, 'agents', (t) => atMost(whole(t), MAX_SERVERS), `a whole number of agents from 1 to ${MAX_SERVERS}`);
  const target = optional(args, 'target', (t) => parseDuration(t), DURATION_EXPECTED);
  const patience =
    model === 'a' ? required(args, 'patience', (t) => positive(parseDuration(t)), `${DURATION_EXPECTED}, more than 0`) : undefined;

  const goals = GOAL_FLAGS.filter((g) => given(args, g));
  if (agents !== undefined && goals.length > 0) {
    throw new UsageError(
      `--agents and --${goals[0]} do not go together: give --agents to evaluate a staffing, or goals (${goalList(model)}) to solve for the fewest agents`,
    );
  }
  if (agents === undefined && goals.length === 0) {
    throw new UsageError(`give --agents, or a goal to solve for the fewest agents (${goalList(model)})`);
  }
  if (given(args, 'sl-definition') && !given(args, 'sl')) {
    throw new UsageError('--sl-definition says which service level --sl is about; give --sl too (the table shows every definition)');
  }
  const definition = optional(args, 'sl-definition', (t) => (Object.hasOwn(DEFINITION_FLAGS, t) ? DEFINITION_FLAGS[t] : undefined), Object.keys(DEFINITION_FLAGS).join(', '));
  const goal: StaffingGoal = {
    serviceLevel: optional(args, 'sl', fraction, FRACTION_EXPECTED),
    serviceLevelDefinition: definition,
    maxAsa: optional(args, 'asa', (t) => positive(parseDuration(t)), `${DURATION_EXPECTED}, more than 0`),
    maxWaitProbability: optional(args, 'wait', fraction, FRACTION_EXPECTED),
    maxAbandonProbability: optional(args, 'abandon', fraction, FRACTION_EXPECTED),
  };
  if (goal.serviceLevel !== undefined && target === undefined) {
    throw new UsageError('--sl needs --target, the time within which calls count as served in time (e.g. --target 20s)');
  }
  const load = arrivalRate * aht;
  const header = `${MODEL_NAMES[model]}\n${row('offered load', `${fixed(load)} Erlangs (${fixed(arrivalRate * 3600)}/h x ${formatDuration(aht)})`)}`;

  if (model === 'b') {
    const lines = agents ?? linesForBlocking(load, optional(args, 'blocking', fraction, FRACTION_EXPECTED)!);
    const blocking = erlangB(load, lines);
    const occupancy = lines === 0 ? 0 : (load * (1 - blocking)) / lines;
    const json = { ...(agents === undefined ? { agents: lines } : {}), blockingProbability: blocking, occupancy };
    const table = [
      header,
      row(agents === undefined ? 'lines needed' : 'lines', String(lines)),
      row('blocking probability', percent(blocking)),
      row('occupancy (per line)', percent(occupancy)),
    ];
    return { json, table: `${table.join('\n')}\n` };
  }

  const t = target ?? 0;
  if (model === 'c') {
    const n = agents ?? agentsForErlangC({ arrivalRate, aht, target: t }, goal);
    const m = erlangCMetrics({ arrivalRate, aht, agents: n, target: t });
    if (!m.stable) {
      process.stderr.write(`callsim: warning: ${fixed(load)} Erlangs offered to ${n} agents: the Erlang C queue grows without bound\n`);
    }
    return erlangCReport(m, header, agents === undefined, target);
  }
  const n = agents ?? agentsForErlangA({ arrivalRate, aht, target: t, patience: patience! }, goal);
  const m = erlangA({ arrivalRate, aht, agents: n, target: t, patience: patience! });
  return erlangAReport(m, header, agents === undefined, target, patience!);
}

function erlangCReport(m: ErlangCMetrics, header: string, solved: boolean, target: number | undefined): Report {
  const json: Record<string, unknown> = {
    ...(solved ? { agents: m.agents } : {}),
    waitProbability: m.waitProbability,
    ...(target !== undefined ? { serviceLevel: m.serviceLevel } : {}),
    asa: finiteOrNull(m.asa),
    occupancy: m.occupancy,
  };
  const table = [
    header,
    row(solved ? 'agents needed' : 'agents', String(m.agents)),
    row('wait probability', percent(m.waitProbability)),
    ...(target !== undefined ? [row(`service level (${formatDuration(target)})`, percent(m.serviceLevel))] : []),
    row('ASA', seconds(m.asa)),
    row('occupancy', percent(m.occupancy)),
    row('mean queue length', fixed(m.meanQueueLength)),
  ];
  return { json, table: `${table.join('\n')}\n` };
}

function erlangAReport(
  m: ErlangAMetrics,
  header: string,
  solved: boolean,
  target: number | undefined,
  patience: number,
): Report {
  const json: Record<string, unknown> = {
    ...(solved ? { agents: m.agents } : {}),
    waitProbability: m.waitProbability,
    ...(target !== undefined ? { serviceLevel: m.serviceLevel, serviceLevels: m.serviceLevels } : {}),
    asa: m.asa,
    occupancy: m.occupancy,
    abandonProbability: m.abandonProbability,
  };
  const rows = [
    header,
    row('mean patience', formatDuration(patience)),
    row(solved ? 'agents needed' : 'agents', String(m.agents)),
    row('wait probability', percent(m.waitProbability)),
    row('abandon probability', percent(m.abandonProbability)),
  ];
  if (target !== undefined) {
    const T = formatDuration(target);
    const sl = m.serviceLevels;
    rows.push(
      row(`service level (${T})`, percent(sl.strict), `strict: answered within ${T} / all calls`),
      row('  answered', percent(sl.answered), `answered within ${T} / answered calls`),
      row('  wait', percent(sl.wait), `queue wait (to answer or abandon) within ${T} / all calls`),
      row('  virtual', percent(sl.virtual), `wait of an infinitely patient caller within ${T}`),
      row('  short abandons excluded', percent(sl.shortAbandonsExcluded), `answered within ${T} / calls not abandoned within ${T}`),
    );
  }
  rows.push(
    row('ASA', seconds(m.asa), 'answered calls'),
    row('mean queue wait', seconds(m.meanQueueWait), 'all calls, to answer or abandon'),
    row('occupancy', percent(m.occupancy)),
    row('mean queue length', fixed(m.meanQueueLength)),
  );
  return { json, table: `${rows.join('\n')}\n` };
}

// ---------------------------------------------------------------------------------------
// Flags

const FRACTION_EXPECTED = 'a percentage such as `80%` or a fraction such as `0.8`, above 0 and below 100 %';

function given(args: ErlangArgs, flag: string): boolean {
  return raw(args, flag) !== undefined;
}

function raw(args: ErlangArgs, flag: string): unknown {
  return (args as unknown as Record<string, unknown>)[flag];
}

function optional<T>(args: ErlangArgs, flag: string, parse: (text: string) => T | undefined, expected: string): T | undefined {
  const value = raw(args, flag);
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new UsageError(`--${flag} is given ${value.length} times; give it once`);
  const text = String(value);
  const parsed = parse(text);
  if (parsed === undefined) throw new UsageError(`--${flag} \`${text}\`: expected ${expected}`);
  return parsed;
}

function required<T>(args: ErlangArgs, flag: string, parse: (text: string) => T | undefined, expected: string): T {
  const value = optional(args, flag, parse, expected);
  if (value === undefined) throw new UsageError(`--${flag} is required: ${expected}`);
  return value;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function atMost(n: number | undefined, max: number): number | undefined {
  return n !== undefined && n <= max ? n : undefined;
}

/** A whole number of agents, written as any whole-number flag may be (`1e6` too). */
function whole(text: string): number | undefined {
  const n = parseWhole(text);
  return n !== undefined && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** `80%` or `0.8`, strictly between 0 and 1: a goal of 0 % or 100 % is met by no staffing. */
function fraction(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) / (m[2] ? 100 : 1);
  return n > 0 && n < 1 ? n : undefined;
}

function goalList(model: Model): string {
  return GOAL_FLAGS.filter((g) => APPLIES[g]!.includes(model))
    .map((g) => `--${g}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------
// Output

function row(label: string, value: string, note?: string): string {
  const line = `  ${label.padEnd(26)}${value.padStart(12)}`;
  return note ? `${line}   ${note}` : line;
}

function percent(p: number): string {
  if (p !== 0 && p < 1e-4) return `${p.toExponential(2)}`;
  return `${(100 * p).toFixed(2)} %`;
}

function fixed(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  return x >= 1e6 || (x !== 0 && x < 1e-3) ? x.toExponential(3) : String(+x.toFixed(3));
}

function seconds(s: number): string {
  return Number.isFinite(s) ? formatDuration(+s.toPrecision(4)) : '∞';
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
