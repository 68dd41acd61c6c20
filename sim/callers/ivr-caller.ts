// A caller's decisions in the IVR, drawn from the scenario's navigation mix: the key for
// this menu (or silence, or hanging up), barging in or listening through, thinking time,
// slips of the finger, digits of an ID or an area code, whether an account lookup works.

import { distribution, type Distribution } from '../kernel/distributions.js';
import type { RandomStream, RandomStreams } from '../kernel/random.js';
import type { IvrNavigation } from './ivr-navigation.js';

export type IvrChoice = { readonly kind: 'key'; readonly key: string } | { readonly kind: 'silent' } | { readonly kind: 'hangup' };

const ALL_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

/** Weighted choice; weights need not sum to 1. */
function pick<T>(rng: RandomStream, items: readonly T[], weights: readonly number[]): T {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    u -= weights[i]!;
    if (u < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

export class IvrCaller {
  private readonly think: Distribution;
  private readonly rng: RandomStream;
  private readonly choiceTables = new Map<string, { items: string[]; weights: number[] }>();
  private readonly transferCodes: string[];
  private readonly transferWeights: number[];

  constructor(
    private readonly nav: IvrNavigation,
    streams: RandomStreams,
    /** Area codes for transfers when the scenario names none: the centers'. */
    fallbackTransferCodes: readonly string[],
  ) {
    this.think = distribution(nav.think);
    this.rng = streams.stream('callers:ivr');
    for (const [menu, table] of Object.entries(nav.choices)) {
      const items = Object.keys(table);
      this.choiceTables.set(menu, { items, weights: items.map((k) => table[k]!) });
    }
    const codes = Object.keys(nav.transferAreaCodes);
    this.transferCodes = codes.length > 0 ? codes : [...fallbackTransferCodes];
    this.transferWeights = codes.length > 0 ? codes.map((c) => nav.transferAreaCodes[c]!) : this.transferCodes.map(() => 1);
  }

  /** Whether this call's caller never presses a key. */
  isSilent(): boolean {
    return this.rng.chance(this.nav.silent);
  }

  /** What the caller does in `menu`, whose options in force are `keys`. */
  choose(menu: string, keys: readonly string[]): IvrChoice {
    const table = this.choiceTables.get(menu);
    let choice: string;
    if (table) choice = pick(this.rng, table.items, table.weights);
    else if (keys.length > 0) choice = keys[this.rng.int(keys.length)]!;
    else return { kind: 'silent' };
    if (choice === 'silent') return { kind: 'silent' };
    if (choice === 'hangup') return { kind: 'hangup' };
    if (this.rng.chance(this.nav.mistake)) {
      const wrong = ALL_KEYS.filter((k) => !keys.includes(k) && k !== '*');
      if (wrong.length > 0) choice = wrong[this.rng.int(wrong.length)]!;
    }
    return { kind: 'key', key: choice };
  }

  bargesIn(): boolean {
    return this.rng.chance(this.nav.bargeIn);
  }

  thinkTime(): number {
    return this.think.sample(this.rng);
  }

  digitTime(): number {
    return this.nav.digitTime;
  }

  /** A random digit of an ID number or PIN. */
  digit(): string {
    return String(this.rng.int(10));
  }

  /** The area code a caller keys after choosing "another city". */
  transferCode(): string {
    return this.transferCodes.length > 0 ? pick(this.rng, this.transferCodes, this.transferWeights) : '0000';
  }

  accountLookupSucceeds(): boolean {
    return this.rng.chance(this.nav.accountSuccess);
  }

  /**
   * The same question for a real call, where the caller and the IVR are two programs that
   * must agree without talking (`callsim load` against `callsim serve`): the answer is a
   * function of the keys typed so far, true for a share `accountSuccess` of key strings.
   */
  accountLookupSucceedsFor(keys: string): boolean {
    // FNV-1a, then a final avalanche (murmur3's fmix32), to a number in [0, 1)
    let h = 0x811c9dc5;
    for (let i = 0; i < keys.length; i++) h = Math.imul(h ^ keys.charCodeAt(i), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) / 2 ** 32 < this.nav.accountSuccess;
  }
}
