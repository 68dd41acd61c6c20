// The largest counts a scenario may ask for, where the run allocates something per unit: an
// agent (its object, its window cursor, its scorecard row in summary.json), a row of
// per-interval results, a digit a caller keys. Past them a run would not fail with a message
// but run out of memory, or out of the longest string V8 can build, minutes in. Each is far
// beyond any hotline (China's largest provincial 12333 centers staff hundreds of agents) and
// was measured to run on an ordinary machine (2026-11, `callsim run --out`, one replication).

/**
 * Agents in a whole scenario at most. One million agents in one group, one hour: 22 s, 2.1 GB
 * of memory, and a summary.json of 437 MB, most of it the scorecard's row per agent: near the
 * largest string V8 builds (512 MiB), which is what summary.json is before it is written.
 */
export const MAX_AGENTS = 1_000_000;

/**
 * Per-interval results at most: intervals x (1 + centers + agent groups), a row for the whole
 * platform, one per center and one per group in every interval. One day at 1 s intervals of
 * the default 10-center scenario is 1,814,400 of them: 13.6 s, 0.76 GB of memory, a
 * summary.json of 104 MB.
 */
export const MAX_INTERVAL_ROWS = 2_000_000;

/**
 * Digits a caller keys for one entry (ID number, PIN, area code) at most: each is a key event
 * and the IVR keeps them as it goes. China's resident ID has 18 digits, a phone number at most
 * 15 (E.164).
 */
export const MAX_DIGITS = 32;
