// How callers find their way through the IVR: which key they choose in each menu, whether
// they press before a prompt ends (barge-in) or listen through, how long they think, how
// often they mistype, and which share never press anything (silent callers). Also which
// area code their calling number has, which decides their city center.

import type { DistributionSpec } from '../kernel/distributions.js';

/** A choice in a menu: a key, or `silent` (no key: a time-out), or `hangup`. */
export type MenuChoice = string;

export interface IvrNavigation {
  /**
   * Per menu id, weights of the choices (keys `0`-`9`, `*`, `#`, `silent`, `hangup`).
   * A menu not listed: the keys of its options in force, equally likely.
   */
  readonly choices: Readonly<Record<string, Readonly<Record<MenuChoice, number>>>>;
  /** Probability that a caller presses during a prompt when barge-in is allowed. Default 0.3. */
  readonly bargeIn: number;
  /** Time from the end of the prompt (or, barging in, from its start) to the key. Default uniform 1-4 s. */
  readonly think: DistributionSpec;
  /** Probability that a key press is a slip (a key with no option). Default 0.02. */
  readonly mistake: number;
  /** Share of callers who never press a key. Default 0.01. */
  readonly silent: number;
  /** Probability that one account-query attempt (ID + PIN) succeeds. Default 0.85. */
  readonly accountSuccess: number;
  /** Time to key one digit of an ID, PIN or area code. Default 0.6 s. */
  readonly digitTime: number;
  /**
   * Area codes typed after key 9 (transfer), with weights; default: the scenario's centers'
   * area codes, equally likely.
   */
  readonly transferAreaCodes: Readonly<Record<string, number>>;
}

export interface CallerMix {
  /** Area codes of calling numbers with weights, e.g. { '0431': 0.3, '0432': 0.15 }. Default {} = unknown (''). */
  readonly areaCodes: Readonly<Record<string, number>>;
  readonly ivr: IvrNavigation;
}
