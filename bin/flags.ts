// Flags that take a value, given without one or with one that is not what they take. yargs
// on its own lets `callsim run --out` (the last word) run without writing anything,
// `--seed` with nothing after it run on the scenario's seed, `--seed=` run on seed 0, and
// says `--seed NaN` for `--seed abc`: each a run the user did not ask for, or a message about
// what they did not type. Here they are exit 2, quoting what was typed.

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
    if (text.trim() === '' || Number.isNaN(Number(text))) return { flag: name, text };
  }
  return undefined;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
