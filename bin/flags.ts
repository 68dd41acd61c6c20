// Flags that take a value, given without one or with one that is not what they take. yargs
// on its own lets `callsim run --out` (the last word) run without writing anything,
// `--seed` with nothing after it run on the scenario's seed, `--seed=` run on seed 0, and
// says `--seed NaN` for `--seed abc`: each a run the user did not ask for, or a message about
// what they did not type. Here they are exit 2, quoting what was typed. Whole-number flags are
// checked in one way for every command (wholeFlag): written as the scenario's YAML takes a
// whole number (`1000000`, `1e6`, `1.0`, `0x10`), within a range the message gives.

import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from './exit-codes.js';

/** `command` whose every option that takes a value must be given one, and whose number options get numbers. */
export function withStrictValues<T, U>(command: CommandModule<T, U>, argv: readonly string[]): CommandModule<T, U> {
  const { builder } = command;
  return {
    ...command,
    builder: (y: Argv<T>) => {
      const built = (typeof builder === 'function' ? builder(y) : y.options(builder ?? {})) as Argv<U>;
      const o = (built as unknown as Declared).getOptions();
      const takesValue = Object.keys(o.key).filter((k) => !o.boolean.includes(k) && !o.count.includes(k));
      const wrong = notNumbers(argv, o.number);
      if (wrong) throw new UsageError(`--${wrong.flag} \`${wrong.text}\`: expected a number`);
      typed = numberTexts(argv, o.number);
      return built.requiresArg(takesValue);
    },
  } as CommandModule<T, U>;
}

/** What yargs knows of the options declared so far (public in yargs 18, missing from its types). */
interface Declared {
  getOptions(): { key: Record<string, unknown>; boolean: string[]; count: string[]; number: string[] };
}

/** yargs' message for a flag given without its value, said as callsim says things. */
export function usageMessage(message: string): string {
  const m = /^Not enough arguments following: (\S+)$/.exec(message);
  return m ? `--${m[1]} needs a value` : message;
}

/**
 * The first number flag in `argv` whose text is not a number (`--seed abc`, `--seed=`), or
 * undefined. `numberKeys` are as declared (kebab-case); yargs also takes them camelCased.
 */
export function notNumbers(argv: readonly string[], numberKeys: readonly string[]): { flag: string; text: string } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return undefined;
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    const name = kebab(token.slice(2, eq < 0 ? undefined : eq));
    if (!numberKeys.includes(name)) continue;
    const text = eq < 0 ? argv[i + 1] : token.slice(eq + 1);
    // a missing value (nothing, or the next flag) is for requiresArg to say; `-3` is a value
    if (text === undefined || (eq < 0 && /^-(-|[^\d.])/.test(text))) continue;
    if (parseNumber(text) === undefined) return { flag: name, text };
  }
  return undefined;
}

/**
 * The number flags of this command line as typed (kebab-case keys; the last one given wins, as
 * in yargs): yargs has turned `12345678901234567890` into 12345678901234567000 by then.
 */
let typed: ReadonlyMap<string, string> = new Map();

/** The text of each number flag in `argv` (`--seed 7`, `--seed=7`), by kebab-case name. */
export function numberTexts(argv: readonly string[], numberKeys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    const name = kebab(token.slice(2, eq < 0 ? undefined : eq));
    const text = eq < 0 ? argv[i + 1] : token.slice(eq + 1);
    if (numberKeys.includes(name) && text !== undefined) out.set(name, text.trim());
  }
  return out;
}

/**
 * The numbers of YAML 1.2's core schema, as a scenario file's `count: 1e6` is read: decimal
 * with an optional fraction and exponent, `0x` hexadecimal, `0o` octal. (JavaScript's Number
 * would also take `0b11`, `Infinity` and an empty string; YAML reads those as strings.)
 */
const YAML_NUMBER = /^(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)$/;

/** A number written as a scenario file may write one (YAML_NUMBER), or undefined. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return YAML_NUMBER.test(t) ? Number(t) : undefined;
}

/**
 * A whole number as the scenario's YAML reads one (`count: 1e6`, `1.0`, `0x10`); undefined
 * for anything else. Range is the caller's to judge (Infinity, from `1e400`, is not whole).
 */
export function parseWhole(text: string): number | undefined {
  const n = parseNumber(text);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

export interface WholeRange {
  readonly min: number;
  /** Default, and at most: 2^53-1, the largest whole number a double holds exactly. */
  readonly max?: number;
}

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

function rangeText(r: WholeRange): string {
  const max = Math.min(r.max ?? SAFE_MAX, SAFE_MAX);
  return `${r.min} .. ${max === SAFE_MAX ? '2^53-1 (9007199254740991)' : max}`;
}

/**
 * A whole-number flag's value (yargs' number), checked against what was typed: `1e6` is a
 * million, as in a scenario file; `1.5` is not whole; `12345678901234567890` (which yargs has
 * rounded) and anything outside `range` are said to be outside it, with the range. `text`
 * defaults to what this command line typed for the flag.
 */
export function wholeFlag(flag: string, value: number | undefined, range: WholeRange, text = typed.get(flag)): number | undefined {
  if (value === undefined) return undefined;
  const shown = text ?? String(value);
  const n = text === undefined ? value : (parseNumber(text) ?? NaN);
  const max = Math.min(range.max ?? SAFE_MAX, SAFE_MAX);
  if (Number.isNaN(n)) throw new UsageError(`--${flag} \`${shown}\`: expected a number`);
  if (Number.isFinite(n) && !Number.isInteger(n)) {
    throw new UsageError(`--${flag} ${shown}: expected a whole number ${max === SAFE_MAX ? `>= ${range.min}` : `from ${range.min} to ${max}`}`);
  }
  if (n < range.min && Number.isFinite(n) && max === SAFE_MAX) throw new UsageError(`--${flag} ${shown}: expected a whole number >= ${range.min}`);
  if (!(n >= range.min && n <= max)) throw new UsageError(`--${flag} ${shown}: outside the range ${rangeText(range)}`);
  return n;
}

/**
 * The most worker threads --workers takes: 64, or one per core on a larger machine. Threads
 * beyond the cores add no speed, only memory: about 30 MB each (100 workers on 2 cores took
 * 3.1 GB of resident memory, `/usr/bin/time -v`, 2026-11-23), so 1,000 would exhaust most
 * machines.
 */
export const MAX_WORKERS = Math.max(64, availableParallelism());

/** --workers, checked: a whole number from 1 to {@link MAX_WORKERS}. */
export function workersFlag(value: number | undefined): number | undefined {
  return wholeFlag('workers', value, { min: 1, max: MAX_WORKERS });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
