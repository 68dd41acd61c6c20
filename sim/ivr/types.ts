// The IVR as data: menus of prompts and DTMF options, each option an action, and variants
// chosen by conditions (inside or outside agent hours, holiday, the caller's area code).
// This is the resolved, immutable form the loader produces from YAML; the engine
// (engine.ts) walks it with a pure transition function and the checker proves properties
// of it. Times are seconds.

/** A DTMF key. */
export type Key = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#';
export const KEYS: readonly Key[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

/** A recorded announcement: what it says and how long it plays. */
export interface Prompt {
  readonly text: string;
  readonly duration: number;
}

/** What a variant of a menu depends on; evaluated at the moment it matters (see engine.ts). */
export type Condition =
  | { readonly kind: 'agent-hours'; readonly value: boolean }
  | { readonly kind: 'holiday'; readonly value: boolean }
  | { readonly kind: 'area-code'; readonly codes: readonly string[] }
  | { readonly kind: 'all'; readonly of: readonly Condition[] }
  | { readonly kind: 'any'; readonly of: readonly Condition[] }
  | { readonly kind: 'not'; readonly of: Condition };

/** Where a call goes in the ACD. */
export interface QueueTarget {
  /** A center id, or `caller` = the center that the caller's area code belongs to. */
  readonly center: string;
  /** Queue within the center, e.g. `general`, `complaint`. Default `general`. */
  readonly queue: string;
  /** Lower is served first. Default 0 (complaints may use -1). */
  readonly priority: number;
}

export type Action =
  /** Go to another menu (the target's parent is where `*` returns). */
  | { readonly kind: 'menu'; readonly target: string }
  /** Self-service information: plays for `prompt.duration`, then goes to `then` (the "continue?" menu). */
  | { readonly kind: 'info'; readonly prompt: Prompt; readonly then: string }
  /** Record a voice message of up to `maxDuration`; creates a callback task; then `then`. */
  | { readonly kind: 'voicemail'; readonly prompt: Prompt; readonly maxDuration: number; readonly then: string }
  /** Fax on demand: the fax is sent during `prompt.duration`; then `then`. */
  | { readonly kind: 'fax'; readonly prompt: Prompt; readonly then: string }
  /**
   * Personal account query: collect an ID number (`idDigits` digits) and a PIN (`pinDigits`);
   * the lookup succeeds or fails (the caller model decides); after `maxFailures` failures,
   * `onFailure`; on success the result plays, then `then`.
   */
  | {
      readonly kind: 'account';
      readonly idPrompt: Prompt;
      readonly pinPrompt: Prompt;
      readonly resultPrompt: Prompt;
      readonly failPrompt: Prompt;
      readonly idDigits: number;
      readonly pinDigits: number;
      readonly maxFailures: number;
      readonly then: string;
      readonly onFailure: Action;
    }
  /** Complaint / report or agent service: join an agent queue. */
  | { readonly kind: 'queue'; readonly target: QueueTarget; readonly prompt?: Prompt }
  /** Collect `digits` digits of an area code and transfer the call to that center's IVR (or upward). */
  | { readonly kind: 'transfer'; readonly prompt: Prompt; readonly digits: number }
  /** Say goodbye and hang up. */
  | { readonly kind: 'hangup'; readonly prompt?: Prompt };

/**
 * One form of a menu. A variant either waits for a key (`options`) or, with no options,
 * plays its prompts and takes `next` at once (an announcement, or a pass-through that
 * routes by a condition).
 */
export interface Variant {
  /** null = always (the last variant should have none). */
  readonly when: Condition | null;
  /** Played in order before waiting for a key (e.g. the hours notice, then the menu). */
  readonly prompts: readonly Prompt[];
  /** Key -> action. Empty for an announcement. `*` here overrides "back to the parent". */
  readonly options: Readonly<Partial<Record<Key, Action>>>;
  /** For an announcement: what follows the prompts. */
  readonly next: Action | null;
}

export interface Menu {
  readonly id: string;
  /** Where `*` returns; null for the top menu (where `*` is an invalid key). */
  readonly parent: string | null;
  /** Tried in order; the first whose condition holds is the one the caller meets. */
  readonly variants: readonly Variant[];
  /** Waiting for a key longer than this is a time-out. Default 8 s. */
  readonly timeout: number;
  /** Time-outs answered by replaying the menu before `onNoInput`. Default 2. */
  readonly maxReplays: number;
  /** After the last replay: e.g. hang up, or queue for an agent. Default hang up. */
  readonly onNoInput: Action;
  /** Keys pressed while the prompts still play are taken (barge-in). Default true. */
  readonly bargeIn: boolean;
}

export interface IvrSpec {
  /** The menu every call starts in (the welcome). */
  readonly entry: string;
  readonly menus: Readonly<Record<string, Menu>>;
  /** 「选择错误,请重新输入」: played on an invalid key before the menu replays. */
  readonly invalidPrompt: Prompt;
  /** From INVITE to the IVR answering (the system's rings). Default 0. */
  readonly answerDelay: number;
  /** Where the menus came from, for messages (`scenarios/ivr/12333.yaml`). */
  readonly file: string;
  /**
   * Whether any path may reach an agent queue outside agent hours (some hotlines keep a
   * night desk). Default false: `callsim check` proves that none does.
   */
  readonly queueOutsideHours: boolean;
}

/** What the IVR engine knows about the call and the moment, when it decides. */
export interface IvrContext {
  readonly agentHours: boolean;
  readonly holiday: boolean;
  /** Area code of the calling number, e.g. `0431`. */
  readonly areaCode: string;
}

/** Where a call is in the IVR. Immutable; the engine returns a new one. */
export interface IvrState {
  readonly menu: string;
  /** Index of the variant in force (chosen on entry, re-chosen when a key arrives). */
  readonly variant: number;
  /**
   * `idle`: before `start` (the IVR has not answered yet; see `initialState`);
   * `prompt`: index `prompt` of the variant's prompts is playing; `waiting`: for a key;
   * `branch`: a self-service branch runs (info, voicemail, fax, account step);
   * `digits`: collecting digits for an account query or a transfer; `ended`.
   */
  readonly phase: 'idle' | 'prompt' | 'waiting' | 'branch' | 'digits' | 'ended';
  /**
   * In the `prompt` phase of a menu (`action` null): the index of the variant's prompt that
   * plays, or -1 while the invalid-key prompt plays before the menu starts again. In an
   * account query's `id` step, -1 while the fail prompt plays. Otherwise 0.
   * `playing()` in engine.ts says which prompt it is.
   */
  readonly prompt: number;
  /** Time-outs so far in this menu. */
  readonly replays: number;
  /** The action being carried out in `branch` / `digits` phases. */
  readonly action: Action | null;
  /** Digits collected so far in the `digits` phase. */
  readonly digits: string;
  /**
   * Account query: failures so far; which step: `id` (ID prompt, or fail prompt at
   * `prompt` -1, then ID digits), `pin` (PIN prompt, PIN digits), `result` (the lookup runs
   * as a branch, then the result prompt plays). `none` outside an account query.
   */
  readonly failures: number;
  readonly step: 'id' | 'pin' | 'result' | 'none';
}

export type IvrEvent =
  /** The IVR answered; enter the entry menu. */
  | { readonly kind: 'start' }
  /** The prompt that was playing finished. */
  | { readonly kind: 'prompt-done' }
  /** A DTMF key. */
  | { readonly kind: 'key'; readonly key: Key }
  /** No key within the menu's time-out. */
  | { readonly kind: 'timeout' }
  /** A self-service branch finished; `ok` tells an account lookup's result. */
  | { readonly kind: 'branch-done'; readonly ok: boolean }
  /** The caller hung up. */
  | { readonly kind: 'hangup' };

export type IvrEffect =
  /** Play a prompt; send `prompt-done` after its duration (a key may interrupt it if `bargeIn`). */
  | { readonly kind: 'play'; readonly prompt: Prompt; readonly bargeIn: boolean }
  /** Wait for a key; send `timeout` after `timeout` seconds unless a key comes. */
  | { readonly kind: 'collect'; readonly timeout: number }
  /** A self-service branch runs for `duration`; send `branch-done` after it. */
  | { readonly kind: 'branch'; readonly service: 'info' | 'voicemail' | 'fax' | 'account'; readonly duration: number }
  /** A voice message was recorded: create a callback task. */
  | { readonly kind: 'voicemail-recorded' }
  /** The menu `menu` was entered (for visit counts and paths). */
  | { readonly kind: 'visit'; readonly menu: string }
  /** An invalid key was pressed. */
  | { readonly kind: 'invalid'; readonly key: Key }
  /** Leave the IVR for an agent queue. */
  | { readonly kind: 'enqueue'; readonly target: QueueTarget }
  /** Leave the IVR for another center's IVR. */
  | { readonly kind: 'transfer'; readonly areaCode: string }
  /** The IVR hangs up (the call ends in the IVR). */
  | { readonly kind: 'hangup'; readonly reason: 'menu' | 'no-input' | 'account-failed' };
