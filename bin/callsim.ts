#!/usr/bin/env node
// The callsim command line: parse flags, hand each command its arguments, map every
// outcome to the exit codes of DESIGN.md. User mistakes print a message, never a stack.

import './v8-flags.js';
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ScenarioError } from '../sim/scenario/errors.js';
import { EXIT, UsageError } from './exit-codes.js';
import { usageMessage, withStrictValues } from './flags.js';
import { exitWhenDone, guardProcess, reportInternalError } from './process-guard.js';

type Command = (setCode: (code: number) => void) => CommandModule<any, any>;

/**
 * Each command's module, loaded only when it is the one asked for: with all of them loaded
 * (the SIP stack, WebSocket, the load engines, the report) every start took 0.48 s;
 * `callsim erlang` now starts in 0.19 s and `callsim run` in 0.31 s (2026-11-23). In the
 * order `--help` lists them.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  erlang: async () => (await import('./commands/erlang.js')).erlangCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  staff: async () => (await import('./commands/staff.js')).staffCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  load: async () => (await import('./commands/load.js')).loadCommand,
};

/** The commands to load for `argv`: the one it names first, or all of them (help, a typo, an option before the command). */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv.find((a) => !a.startsWith('-'));
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const setCode = (c: number): void => {
    code = c;
  };
  try {
    const parser = yargs(argv).scriptName('callsim').usage('$0 <command> [options]');
    for (const name of commandsFor(argv)) parser.command(withStrictValues((await COMMANDS[name]!())(setCode), argv));
    await parser
      .demandCommand(1, 'Name a command: run, check, erlang, staff, compare, report, serve, load')
      .strict()
      .recommendCommands()
      .help()
      .version(false)
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((msg, err) => {
        // yargs' own errors (YError: a flag without its value) are the user's mistakes too
        if (err && err.name !== 'YError') throw err;
        throw new UsageError(usageMessage(msg ?? err.message));
      })
      .parseAsync();
  } catch (err) {
    return reportError(err);
  }
  return code;
}

function reportError(err: unknown): number {
  if (err instanceof ScenarioError || err instanceof UsageError) {
    process.stderr.write(`callsim: ${err.message}\n`);
    return EXIT.invalid;
  }
  return reportInternalError(err);
}

guardProcess();
exitWhenDone(await main(hideBin(process.argv)));
