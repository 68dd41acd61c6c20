// One call in the IVR on a clock: feeds the pure engine its events (prompt ends, time-outs,
// keys, branch ends) at the right instants and carries out its effects. The caller's keys
// come from IvrCaller; the moment decides agent hours. Whatever the engine says last
// (enqueue, transfer, hang-up), the session hands back to the model.

import type { IvrCaller, IvrChoice } from '../callers/ivr-caller.js';
import type { BusinessCalendar } from '../ivr/calendar.js';
import { initialState, transition, variantFor } from '../ivr/engine.js';
import type { IvrContext, IvrEffect, IvrEvent, IvrSpec, IvrState, Key, QueueTarget } from '../ivr/types.js';
import type { Scheduled, Scheduler } from '../kernel/clock.js';

export type IvrExit =
  | { readonly kind: 'enqueue'; readonly target: QueueTarget }
  | { readonly kind: 'transfer'; readonly areaCode: string }
  | { readonly kind: 'hangup'; readonly by: 'system' | 'caller' };

export interface IvrHost {
  readonly clock: Scheduler;
  readonly spec: IvrSpec;
  readonly calendar: BusinessCalendar;
  readonly caller: IvrCaller;
  exit(session: IvrSession, exit: IvrExit): void;
  /** The caller presses `key`: the host carries it to the IVR (at once, or by INFO), which calls `keyArrived`. */
  press(session: IvrSession, key: Key): void;
  /** The caller hangs up in the IVR: the host carries it over, then calls `hangup`. */
  hangUp(session: IvrSession): void;
  /**
   * Real callers (`callsim serve`): keys come only from outside, through `keyArrived`; the
   * session makes no decision for the caller and draws nothing for them.
   */
  readonly external?: boolean;
  /**
   * One side of a real call: `callsim serve` (external) or the caller's mirror of the IVR in
   * `callsim load`. Account lookups then succeed or fail by the keys typed, so both sides
   * agree (IvrCaller.accountLookupSucceedsFor); in a simulation they are drawn.
   */
  readonly mirror?: boolean;
}

export class IvrSession {
  private state: IvrState;
  private timer: Scheduled | null = null;
  private keyTimer: Scheduled | null = null;
  private plan: IvrChoice = { kind: 'silent' };
  private readonly silent: boolean;
  private ended = false;
  /** Menus entered and keys pressed, `main 0 agent 2`, for paths and visit counts. */
  readonly path: string[] = [];
  invalidKeys = 0;
  /** Self-service branches completed (information, voice message, fax, account query). */
  selfService = 0;
  voicemails = 0;
  /** Transfers to another center's IVR inside the platform. */
  transfers = 0;

  constructor(
    private readonly host: IvrHost,
    /** The calling number's area code; after a transfer inside the platform, the target's. */
    public areaCode: string,
    /** The model's call this session belongs to. */
    readonly call: unknown,
  ) {
    this.state = initialState(host.spec);
    this.silent = host.external === true || host.caller.isSilent();
  }

  start(): void {
    this.deliver({ kind: 'start' });
  }

  /**
   * Key 9 to a center of this platform: the call starts over in that center's IVR (the
   * same menus, seen as that center's caller); its path and counts go on.
   */
  transferTo(areaCode: string): void {
    this.areaCode = areaCode;
    this.state = initialState(this.host.spec);
    this.ended = false;
    this.transfers++;
    this.start();
  }

  private ctx(): IvrContext {
    const t = this.host.clock.now();
    const cal = this.host.calendar;
    return { agentHours: cal.agentHours(t), holiday: cal.holiday(t), areaCode: this.areaCode };
  }

  private deliver(event: IvrEvent): void {
    if (this.ended) return;
    const before = this.state;
    const [next, effects] = transition(this.host.spec, before, event, this.ctx());
    this.state = next;
    if (effects.some((e: IvrEffect) => e.kind === 'play' || e.kind === 'collect' || e.kind === 'branch')) this.cancelTimer();
    if (event.kind === 'key') this.path.push(`=${event.key}`);
    for (const effect of effects) {
      this.apply(effect);
      if (this.ended) return;
    }
    if (event.kind === 'hangup') this.finish({ kind: 'hangup', by: 'caller' });
    else if (event.kind === 'key' && next.phase === 'digits' && effects.length === 0) this.scheduleDigit();
  }

  private apply(effect: IvrEffect): void {
    const clock = this.host.clock;
    switch (effect.kind) {
      case 'visit':
        this.path.push(effect.menu);
        this.decide(effect.menu);
        return;
      case 'play':
        this.timer = clock.after(effect.prompt.duration, this.onPromptDone, this);
        return;
      case 'collect':
        this.timer = clock.after(effect.timeout, this.onTimeout, this);
        if (this.state.phase === 'digits') this.scheduleDigit();
        else if (this.plan.kind === 'key' && this.keyTimer === null) this.keyTimer = clock.after(this.host.caller.thinkTime(), this.onKey, this);
        return;
      case 'branch': {
        const ok = effect.service !== 'account' ? true
          : this.host.external === true || this.host.mirror === true ? this.host.caller.accountLookupSucceedsFor(this.keysTyped())
          : this.host.caller.accountLookupSucceeds();
        this.timer = clock.after(effect.duration, ok ? this.onBranchOk : this.onBranchFailed, this);
        if (effect.service !== 'account') this.selfService++;
        return;
      }
      case 'voicemail-recorded':
        this.voicemails++;
        return;
      case 'invalid':
        this.invalidKeys++;
        return;
      case 'enqueue':
        this.finish({ kind: 'enqueue', target: effect.target });
        return;
      case 'transfer':
        this.finish({ kind: 'transfer', areaCode: effect.areaCode });
        return;
      case 'hangup':
        this.finish({ kind: 'hangup', by: 'system' });
        return;
    }
  }

  /** On entering a menu: what this caller will do here, and when. */
  private decide(menuId: string): void {
    this.cancelKey();
    const caller = this.host.caller;
    const menu = this.host.spec.menus[menuId]!;
    const variant = menu.variants[variantFor(menu, this.ctx())]!;
    if (variant.next !== null) {
      this.plan = { kind: 'silent' };
      return;
    }
    this.plan = this.silent ? { kind: 'silent' } : caller.choose(menuId, Object.keys(variant.options));
    if (this.plan.kind === 'hangup') {
      this.keyTimer = this.host.clock.after(caller.thinkTime(), this.onCallerHangup, this);
    } else if (this.plan.kind === 'key' && menu.bargeIn && caller.bargesIn()) {
      this.keyTimer = this.host.clock.after(caller.thinkTime(), this.onKey, this);
    }
  }

  private scheduleDigit(): void {
    this.cancelKey();
    if (this.silent) return; // a real caller types the digits themselves
    this.keyTimer = this.host.clock.after(this.host.caller.digitTime(), this.onDigit, this);
  }

  private readonly onPromptDone = (self: IvrSession): void => {
    self.timer = null;
    self.deliver({ kind: 'prompt-done' });
  };

  private readonly onTimeout = (self: IvrSession): void => {
    self.timer = null;
    self.cancelKey();
    self.deliver({ kind: 'timeout' });
  };

  private readonly onBranchOk = (self: IvrSession): void => {
    self.timer = null;
    self.deliver({ kind: 'branch-done', ok: true });
  };

  private readonly onBranchFailed = (self: IvrSession): void => {
    self.timer = null;
    self.deliver({ kind: 'branch-done', ok: false });
  };

  private readonly onKey = (self: IvrSession): void => {
    self.keyTimer = null;
    if (self.plan.kind !== 'key') return;
    const key = self.plan.key as Key;
    // One key per menu visit: a replay or the next menu decides again.
    self.plan = { kind: 'silent' };
    self.host.press(self, key);
  };

  private readonly onDigit = (self: IvrSession): void => {
    self.keyTimer = null;
    const action = self.state.action;
    const key = (action?.kind === 'transfer' ? self.transferDigit() : self.host.caller.digit()) as Key;
    self.host.press(self, key);
  };

  /** Every key of this call so far, in order (from the path). */
  private keysTyped(): string {
    let keys = '';
    for (const token of this.path) if (token.startsWith('=')) keys += token.slice(1);
    return keys;
  }

  private transferCode = '';
  private transferDigit(): string {
    if (this.state.digits.length === 0) this.transferCode = this.host.caller.transferCode();
    return this.transferCode[this.state.digits.length] ?? '0';
  }

  private readonly onCallerHangup = (self: IvrSession): void => {
    self.keyTimer = null;
    self.host.hangUp(self);
  };

  /** A key the caller pressed reaches the IVR. */
  keyArrived(key: Key): void {
    this.deliver({ kind: 'key', key });
  }

  /** Still in the IVR (it has not handed the call back to the model). */
  get active(): boolean {
    return !this.ended;
  }

  /** The caller's hang-up reaches the IVR. */
  hangup(): void {
    this.deliver({ kind: 'hangup' });
  }

  /** The system hangs up on the call in the IVR (a server stopping): its exit is a system hang-up. */
  systemHangup(): void {
    this.finish({ kind: 'hangup', by: 'system' });
  }

  private cancelTimer(): void {
    if (this.timer) this.host.clock.cancel(this.timer);
    this.timer = null;
  }

  private cancelKey(): void {
    if (this.keyTimer) this.host.clock.cancel(this.keyTimer);
    this.keyTimer = null;
  }

  private finish(exit: IvrExit): void {
    if (this.ended) return;
    this.ended = true;
    this.cancelTimer();
    this.cancelKey();
    this.host.exit(this, exit);
  }
}
