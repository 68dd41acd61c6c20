#!/usr/bin/env node
// The callsim command line: parse flags, hand each command its arguments, map every
// outcome to the exit codes of DESIGN.md. User mistakes print a message, never a stack.

import './v8-flags.js';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ScenarioError } from '../sim/scenario/errors.js';
import { checkCommand } from './commands/check.js';
import { compareCommand } from './commands/compare.js';
import { erlangCommand } from './commands/erlang.js';
import { loadCommand } from './commands/load.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { staffCommand } from './commands/staff.js';
import { reportCommand } from './commands/report.js';
import { EXIT, UsageError } from './exit-codes.js';

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const setCode = (c: number): void => {
    code = c;
  };
  try {
    await yargs(argv)
      .scriptName('callsim')
      .usage('$0 <command> [options]')
      .command(runCommand(setCode))
      .command(erlangCommand(setCode))
      .command(checkCommand(setCode))
      .command(staffCommand(setCode))
      .command(reportCommand(setCode))
      .command(compareCommand(setCode))
      .command(serveCommand(setCode))
      .command(loadCommand(setCode))
      .demandCommand(1, 'Name a command: run, check, erlang, staff, compare, report, serve, load')
      .strict()
      .recommendCommands()
      .help()
      .version(false)
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
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
  process.stderr.write(`callsim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.untrusted;
}

const code = await main(hideBin(process.argv));
process.exitCode = code;
