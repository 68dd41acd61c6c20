// The exit codes other tools rely on (DESIGN.md, "CLI and exit codes").

export const EXIT = {
  /** Every SLA held. */
  ok: 0,
  /** An SLA failed. */
  slaFailed: 1,
  /** Invalid input: scenario, flags, unreachable target. */
  invalid: 2,
  /** The run itself could not be trusted (e.g. the load generator saturated). */
  untrusted: 3,
  /** Interrupted by Ctrl-C (results written are marked partial). */
  interrupted: 130,
} as const;

/** A mistake in how the command was called: printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
