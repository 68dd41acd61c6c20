// Exit codes that stay true when callsim itself goes wrong (DESIGN.md, "CLI and exit codes").
// Node's own defaults would lie to a CI job twice over: an exception thrown in a callback (a
// timer, a socket's message handler) ends the process with code 1, which callsim's contract
// reserves for "an SLA failed"; and a command that returns while a socket or timer of its own
// is still open never ends at all. The first becomes exit 3 (the run cannot be trusted) with
// the error on stderr; the second ends after a grace period, saying what was left open.

import { EXIT } from './exit-codes.js';

/** How long a finished command may take to let go of what it opened before callsim ends it. */
export const EXIT_GRACE_MS = 2000;

/** Says on stderr that callsim itself failed (with the stack: it is ours to fix); the exit code for it, 3. */
export function reportInternalError(err: unknown): number {
  process.stderr.write(`callsim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.untrusted;
}

/** Any exception or rejection no command caught is an internal error: stderr, then exit 3. */
export function guardProcess(): void {
  const fail = (err: unknown): never => process.exit(reportInternalError(err));
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}

/**
 * Ends the process with `code` when the command is over: as soon as nothing keeps the event
 * loop alive (what was written is flushed first), or after `graceMs` when something still does,
 * which is a bug in callsim: it is named on stderr, and the code stays the command's (its
 * results were written; only the clean-up failed). The timer is unref'd, so it never delays a
 * clean exit.
 */
export function exitWhenDone(code: number, graceMs = EXIT_GRACE_MS): void {
  process.exitCode = code;
  setTimeout(() => {
    // stdio itself shows as TTYWrap or PipeWrap
    const open = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout' && r !== 'TTYWrap' && r !== 'PipeWrap');
    process.stderr.write(`callsim: internal error: the command ended but left ${open.length === 0 ? 'timers' : open.join(', ')} open; exiting after ${graceMs / 1000} s\n`);
    process.exit(code);
  }, graceMs).unref();
}
