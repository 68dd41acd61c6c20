// `callsim compare BASE CANDIDATE`: two runs (summary.json files or `--out` folders) metric by
// metric, for CI gates. Exit 0 when nothing regressed beyond --max-regression, 1 when something
// did (a metric, or an SLA that held and now fails), 2 when an input is missing or not a
// summary.json. The table (or --json) goes to stdout; with --json the notes go to stderr.

import type { CommandModule } from 'yargs';
import { styleFor } from '../../reports/console.js';
import {
  compareSummaries,
  comparisonJson,
  DEFAULT_MAX_REGRESSION,
  formatComparison,
  readSummary,
  SummaryInputError,
} from '../../reports/compare.js';
import { EXIT, UsageError } from '../exit-codes.js';

interface CompareArgs {
  base: string;
  candidate: string;
  maxRegression?: unknown;
  json?: boolean;
}

const ALLOWANCE_EXPECTED = 'a percentage such as `5%` or a fraction such as `0.05`, from 0 up to 100 %';

/** `5%` or `0.05` -> 0.05; undefined when it is neither. */
export function parseAllowance(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2]) return n <= 100 ? n / 100 : undefined;
  // A bare number above 1 is almost surely a percentage without its sign: refuse rather than guess.
  return n < 1 ? n : undefined;
}

export function compareCommand(
  setCode: (code: number) => void,
  write: (text: string) => void = (text) => void process.stdout.write(text),
): CommandModule<any, any> {
  const command: CommandModule<object, CompareArgs> = {
    command: 'compare <base> <candidate>',
    describe: 'Compare two runs (summary.json or --out folders) metric by metric; exit 1 on a regression',
    builder: (y) =>
      y
        .positional('base', { type: 'string', describe: 'the reference run: a summary.json or a folder holding one' })
        .positional('candidate', { type: 'string', describe: 'the run to judge: a summary.json or a folder holding one' })
        .option('max-regression', {
          type: 'string',
          describe: `allowance: a worse change must exceed it to count (default ${DEFAULT_MAX_REGRESSION * 100}%)`,
        })
        .option('json', { type: 'boolean', describe: 'print the comparison as JSON instead of the table' })
        .example('$0 compare base/summary.json out/summary.json', 'same scenario, before and after a change')
        .example('$0 compare base out --max-regression 2%', 'two --out folders, a tighter allowance') as never,
    handler: (args) => {
      const raw = args.maxRegression;
      if (Array.isArray(raw)) throw new UsageError(`--max-regression is given ${raw.length} times; give it once`);
      let maxRegression = DEFAULT_MAX_REGRESSION;
      if (raw !== undefined) {
        const parsed = parseAllowance(String(raw));
        if (parsed === undefined) throw new UsageError(`--max-regression \`${String(raw)}\`: expected ${ALLOWANCE_EXPECTED}`);
        maxRegression = parsed;
      }
      let comparison;
      try {
        comparison = compareSummaries(readSummary(args.base), readSummary(args.candidate), { maxRegression });
      } catch (err) {
        if (err instanceof SummaryInputError) throw new UsageError(err.message);
        throw err;
      }
      if (args.json) {
        write(comparisonJson(comparison));
      } else {
        write(formatComparison(comparison, styleFor(process.stdout)));
      }
      if (args.json) for (const note of comparison.notes) process.stderr.write(`callsim: note: ${note}\n`);
      setCode(comparison.regressions.length > 0 ? EXIT.slaFailed : EXIT.ok);
    },
  };
  return command;
}
