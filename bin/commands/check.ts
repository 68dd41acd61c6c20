// `callsim check [SCENARIO]`: prove properties of the scenario's IVR menus (static checks,
// an exhaustive walk, fast-check random calls) and exit 0 when every one holds, 1 with a
// counterexample and a replay command when one breaks, 2 when the input is invalid.

import type { CommandModule } from 'yargs';
import { checkIvr } from '../../sim/ivr/check/check.js';
import { ReplayError } from '../../sim/ivr/check/model-based.js';
import { DESCRIPTIONS, isPropertyName, PROPERTY_NAMES, type PropertyName } from '../../sim/ivr/check/properties.js';
import { checkReportJson, formatCheckReport, shellWord } from '../../sim/ivr/check/report.js';
import { loadScenario } from '../../sim/scenario/load.js';
import { styleFor } from '../../reports/console.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { wholeFlag } from '../flags.js';
import { DEFAULT_SCENARIO } from './run.js';

interface CheckArgs {
  scenario: string;
  set?: string[];
  seed?: number;
  path?: string;
  replayPath?: string;
  runs?: number;
  property?: string;
  json?: boolean;
}

export function checkCommand(
  setCode: (code: number) => void,
  write: (text: string) => void = (text) => void process.stdout.write(text),
): CommandModule<any, any> {
  const command: CommandModule<object, CheckArgs> = {
    command: 'check [scenario]',
    describe: "Prove properties of the scenario's IVR menus: static checks, an exhaustive walk, random calls",
    builder: (y) =>
      y
        .positional('scenario', { type: 'string', default: DEFAULT_SCENARIO, describe: 'scenario file (YAML)' })
        .option('set', { type: 'string', array: true, nargs: 1, describe: 'override a scenario field: path=value (repeatable)' })
        .option('seed', { type: 'number', describe: "fast-check seed for the random calls (default: the scenario's seed)" })
        .option('path', { type: 'string', describe: 'replay one fast-check counterexample: its path (with --seed)' })
        .option('replay-path', { type: 'string', describe: "the counterexample's replayPath (with --path)" })
        .option('runs', { type: 'number', describe: 'random calls (default 1000)' })
        .option('property', { type: 'string', describe: `check one property only: ${PROPERTY_NAMES.join(', ')}` })
        .option('json', { type: 'boolean', describe: 'print the result as JSON' })
        .example('$0 check', 'check the default scenario')
        .example('$0 check scenarios/ivr/broken/dead-end-scenario.yaml --property every-path-ends', 'one property')
        .epilog(`Properties:\n${PROPERTY_NAMES.map((p) => `  ${p}: ${DESCRIPTIONS[p]}`).join('\n')}`) as never,
    handler: (args) => {
      const only = validate(args);
      const scenario = loadScenario(args.scenario, { sets: args.set ?? [] });
      const base = ['npx callsim check', shellWord(args.scenario), ...(args.set ?? []).map((s) => `--set ${shellWord(s)}`)].join(' ');
      if (scenario.ivr === null) {
        const none = { ivr: null, pass: true, properties: [], violations: [] };
        write(args.json ? `${JSON.stringify(none, null, 2)}\n` : `${args.scenario}: no IVR to check (ivr: none): calls go straight to the agent queue\n`);
        setCode(EXIT.ok);
        return;
      }
      const input = {
        ivr: scenario.ivr,
        calendar: scenario.calendar,
        start: scenario.start,
        centers: scenario.centers,
        callerAreaCodes: Object.keys(scenario.callers.areaCodes),
      };
      let report;
      try {
        report = checkIvr(input, {
          seed: args.seed ?? scenario.seed | 0,
          ...(args.runs !== undefined ? { runs: args.runs } : {}),
          ...(args.path !== undefined ? { path: args.path } : {}),
          ...(args.replayPath !== undefined ? { replayPath: args.replayPath } : {}),
          ...(only !== undefined ? { only } : {}),
        });
      } catch (e) {
        if (e instanceof ReplayError) throw new UsageError(e.message);
        throw e;
      }
      const ctx = {
        command: base,
        ...(only !== undefined ? { only } : {}),
        calendar: scenario.calendar,
        start: scenario.start,
        color: styleFor(process.stdout).color && !args.json,
      };
      write(args.json ? checkReportJson(report, ctx) : formatCheckReport(report, ctx));
      setCode(report.pass ? EXIT.ok : EXIT.slaFailed);
    },
  };
  return command;
}

function validate(args: CheckArgs): PropertyName | undefined {
  // fast-check's seeds are 32-bit signed
  wholeFlag('seed', args.seed, { min: -0x80000000, max: 0x7fffffff });
  wholeFlag('runs', args.runs, { min: 1 });
  if (args.path !== undefined && args.seed === undefined) throw new UsageError('--path replays a counterexample of one seed: give --seed too');
  if (args.path !== undefined && !/^\d+(:\d+)*$/.test(args.path)) throw new UsageError(`--path ${args.path}: expected fast-check's counterexamplePath, e.g. 12:0:3`);
  if (args.replayPath !== undefined && args.path === undefined) throw new UsageError('--replay-path goes with --path (and --seed)');
  if (args.property === undefined) return undefined;
  if (!isPropertyName(args.property)) throw new UsageError(`--property ${args.property}: expected one of ${PROPERTY_NAMES.join(', ')}`);
  return args.property;
}
