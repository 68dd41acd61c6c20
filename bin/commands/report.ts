// `callsim report SUMMARY [--out FILE]`: re-render report.html from a saved summary.json
// (or a folder holding one), next to it or to --out. A file that is missing, not JSON, or
// not a callsim summary is exit 2 with a message naming the file and what is wrong.

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { SUMMARY_FORMAT, type Summary } from '../../sim/metrics/summary.js';
import { renderHtml, REPORT_FILE } from '../../reports/html.js';
import { EXIT, UsageError } from '../exit-codes.js';

interface ReportArgs {
  summary: string;
  out?: string;
  quiet?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The fields report.html cannot do without, with what each must be. */
const REQUIRED: readonly [path: string, kind: 'object' | 'array' | 'string' | 'number'][] = [
  ['callsim', 'object'],
  ['callsim.summaryFormat', 'number'],
  ['scenario', 'object'],
  ['scenario.name', 'string'],
  ['scenario.seed', 'number'],
  ['scenario.start', 'string'],
  ['scenario.duration', 'number'],
  ['scenario.serviceLevel', 'object'],
  ['totals', 'object'],
  ['metrics', 'object'],
  ['rates', 'object'],
  ['centers', 'object'],
  ['intervals', 'object'],
  ['intervals.rows', 'array'],
  ['scorecard', 'object'],
  ['slas', 'array'],
];

const withArticle = (kind: string): string => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;

function kindOf(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x;
}

/** Reads and checks a summary.json; throws UsageError naming the file and the first problem. */
export function readSummaryFile(path: string): { file: string; summary: Summary } {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, 'summary.json');
  } catch {
    // Reported below, by the read.
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))}); expected a summary.json written by \`callsim run --out DIR\``);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${e instanceof Error ? e.message : String(e)}); expected a summary.json written by \`callsim run --out DIR\``);
  }
  if (!isObject(data)) throw new UsageError(`${file}: not a callsim summary.json: expected a JSON object, found ${withArticle(kindOf(data))}`);
  for (const [field, kind] of REQUIRED) {
    let at: unknown = data;
    for (const key of field.split('.')) at = isObject(at) ? at[key] : undefined;
    const found = kindOf(at);
    if (found !== kind) {
      throw new UsageError(
        `${file}: not a callsim summary.json: \`${field}\` is ${at === undefined ? 'missing' : withArticle(found)}; expected ${withArticle(kind)}`,
      );
    }
  }
  const format = (data.callsim as Json).summaryFormat as number;
  if (format > SUMMARY_FORMAT) {
    throw new UsageError(`${file}: summary format ${format} is newer than this callsim reads (${SUMMARY_FORMAT}); update callsim`);
  }
  return { file, summary: data as unknown as Summary };
}

export function reportCommand(setCode: (code: number) => void): CommandModule<object, ReportArgs> {
  return {
    command: 'report <summary>',
    describe: 'Render report.html (self-contained, with charts) from a summary.json',
    builder: (y) =>
      y
        .positional('summary', { type: 'string', demandOption: true, describe: 'summary.json, or the --out folder that holds it' })
        .option('out', { type: 'string', describe: `the HTML file to write (default: ${REPORT_FILE} next to the summary)` })
        .option('quiet', { type: 'boolean', describe: 'do not say where the report went' })
        .example('$0 report out/summary.json', `writes out/${REPORT_FILE}`) as never,
    handler: (args) => {
      const { file, summary } = readSummaryFile(args.summary);
      const out = args.out ?? join(dirname(file), REPORT_FILE);
      const html = renderHtml(summary);
      try {
        writeFileSync(out, html);
      } catch (e) {
        throw new UsageError(`${out}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      if (!args.quiet) process.stderr.write(`wrote ${out}\n`);
      setCode(EXIT.ok);
    },
  };
}
