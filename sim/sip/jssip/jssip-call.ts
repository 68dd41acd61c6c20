// One call from a JsSIP 3.13 user agent running in Node over SIP-over-WebSocket: the browser
// caller of a 12333 web hotline, as a load generator or an interoperability check sees it.
// Each call has its own UA and WebSocket (as each browser would), a fake RTCPeerConnection
// (fake-webrtc.ts: no media), optional DTMF by SIP INFO, and an optional hang-up; the result
// says when the call progressed and was answered and how it ended, measured with
// performance.now(). JsSIP runs on real timers anyway, so this adapter is allowed them too
// (hang-up delay, overall timeout), unlike the rest of sim/sip/, which uses the Scheduler.

import { C, UA } from 'jssip';
import type { EndEvent, OutgoingDTMFEvent, RTCSession, RTCSessionEventMap } from 'jssip/lib/RTCSession.js';
import { parse } from '../codec.js';
import { cseq } from '../headers.js';
import { installFakeWebRtc } from './fake-webrtc.js';
import { NodeWsSocket } from './ws-socket.js';

export interface JsSipCallOptions {
  /** The SIP WebSocket server, e.g. `ws://127.0.0.1:8088/sip`. */
  readonly wsUrl: string;
  /** Who to call, e.g. `sip:12333@127.0.0.1`. */
  readonly target: string;
  /** The caller's address of record. Default `sip:caller@callsim.invalid`. */
  readonly from?: string;
  /** Keys to press once the call is up (`0-9`, `*`, `#`, `A-D`; `,` pauses 2 s). Default none. */
  readonly dtmf?: string;
  /** How keys are sent: SIP INFO (application/dtmf-relay) only, as no media flows. Default `INFO`. */
  readonly dtmfTransport?: 'INFO';
  /** Tone duration in seconds (JsSIP: 0.07-6). Default 0.1. */
  readonly dtmfDuration?: number;
  /** Gap between tones in seconds (JsSIP: at least 0.05). Default 0.5. */
  readonly dtmfGap?: number;
  /** Hang up this many seconds after the answer; default: wait for the far end to hang up. */
  readonly hangupAfter?: number;
  /** Give up (CANCEL or BYE) after this many seconds from the start. Default 30. */
  readonly timeout?: number;
}

/** How one call went. Times are seconds since the INVITE was sent, undefined if it never happened. */
export interface JsSipCallResult {
  /** performance.now() in milliseconds when the INVITE was sent (undefined if it never was). */
  readonly invitedAt: number | undefined;
  /** First provisional response above 100 (180/183): the post-dial delay. */
  readonly progressAt: number | undefined;
  /** The 2xx to the INVITE. */
  readonly answeredAt: number | undefined;
  /** The call ended or failed. */
  readonly endedAt: number | undefined;
  /** DTMF tones sent by INFO, and how many of those got a 2xx. */
  readonly dtmfSent: number;
  readonly dtmfAcked: number;
  /** Who ended the call: this side, the far end, JsSIP itself (errors), or our timeout. */
  readonly endedBy: 'local' | 'remote' | 'system' | 'timeout';
  /** JsSIP's cause (`Terminated`, `Busy`, `Rejected`, `Canceled`, `Connection Error`, ...) or why the connection failed. */
  readonly cause: string;
  /** The final response status when the INVITE failed with one. */
  readonly status: number | undefined;
}

/** How long to wait for the far end's answer to our BYE or CANCEL before closing the socket, ms. */
const GOODBYE_WAIT_MS = 2000;

/** Places one call; never rejects for call failures (they are in the result), only for bad options. */
export function jssipCall(o: JsSipCallOptions): Promise<JsSipCallResult> {
  if (o.dtmf !== undefined && !/^[0-9A-D#*,]+$/i.test(o.dtmf)) return Promise.reject(new TypeError(`dtmf must be keys 0-9, *, #, A-D or ",": ${JSON.stringify(o.dtmf)}`));
  installFakeWebRtc();
  return new CallRun(o).result;
}

/** The state of one call in progress. */
class CallRun {
  readonly result: Promise<JsSipCallResult>;
  private resolve: (r: JsSipCallResult) => void = () => {};
  private readonly socket: NodeWsSocket;
  private readonly ua: UA;
  private session: RTCSession | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private invitedAt: number | undefined;
  private progressAt: number | undefined;
  private answeredAt: number | undefined;
  private dtmfSent = 0;
  private dtmfAcked = 0;
  private timedOut = false;
  private ended: { at: number; by: JsSipCallResult['endedBy']; cause: string; status: number | undefined } | undefined;
  /** While ending: the final response we wait for before closing (`BYE`, or `INVITE` after a CANCEL). */
  private awaiting: string | undefined;

  constructor(private readonly o: JsSipCallOptions) {
    this.result = new Promise((r) => { this.resolve = r; });
    this.socket = new NodeWsSocket(o.wsUrl);
    this.socket.onFrame = (text) => this.frame(text);
    this.ua = new UA({
      sockets: [this.socket],
      uri: o.from ?? 'sip:caller@callsim.invalid',
      register: false,
      session_timers: false,
      user_agent: 'callsim-jssip',
    });
    this.ua.on('connected', () => this.call());
    this.ua.on('disconnected', () => {
      if (this.session === undefined) this.end('system', `Connection Error: ${this.socket.lastError ?? 'WebSocket closed'}`);
    });
    this.later((o.timeout ?? 30) * 1000, () => this.giveUp());
    this.ua.start();
  }

  private since(): number | undefined {
    return this.invitedAt === undefined ? undefined : (performance.now() - this.invitedAt) / 1000;
  }

  private call(): void {
    if (this.ended !== undefined || this.session !== undefined) return;
    const handlers: Partial<RTCSessionEventMap> = {
      sending: () => { this.invitedAt = performance.now(); },
      progress: () => { this.progressAt ??= this.since(); },
      accepted: () => {
        this.answeredAt ??= this.since();
        if (this.o.hangupAfter !== undefined) this.later(this.o.hangupAfter * 1000, () => this.hangUp());
      },
      confirmed: () => this.pressKeys(),
      newDTMF: (e: OutgoingDTMFEvent) => this.dtmf(e),
      ended: (e: EndEvent) => this.end(e.originator as JsSipCallResult['endedBy'], e.cause),
      failed: (e: EndEvent) => this.end(e.originator as JsSipCallResult['endedBy'], e.cause, statusOf(e)),
    };
    try {
      this.session = this.ua.call(this.o.target, {
        mediaConstraints: { audio: false, video: false },
        pcConfig: { iceServers: [] },
        eventHandlers: handlers,
      });
    } catch (e) {
      this.end('system', `JsSIP refused the call: ${String(e)}`);
    }
  }

  private pressKeys(): void {
    const keys = this.o.dtmf;
    if (keys === undefined || keys === '' || this.session === undefined) return;
    this.session.sendDTMF(keys, {
      transportType: C.DTMF_TRANSPORT.INFO,
      duration: Math.round((this.o.dtmfDuration ?? 0.1) * 1000),
      interToneGap: Math.round((this.o.dtmfGap ?? 0.5) * 1000),
    });
  }

  private dtmf(e: OutgoingDTMFEvent): void {
    if (String(e.originator) !== 'local') return;
    this.dtmfSent++;
    e.dtmf.on('succeeded', () => { this.dtmfAcked++; });
  }

  private hangUp(): void {
    const s = this.session;
    if (s === undefined || s.isEnded()) return;
    s.terminate();
  }

  private giveUp(): void {
    this.timedOut = true;
    const s = this.session;
    if (s !== undefined && !s.isEnded()) {
      s.terminate(); // CANCEL before the answer, BYE after; 'failed' or 'ended' follows
      if (this.ended === undefined) this.end('timeout', 'timeout');
    } else {
      this.end('timeout', this.session === undefined ? `no WebSocket connection: ${this.socket.lastError ?? 'still connecting'}` : 'timeout');
    }
  }

  private end(by: JsSipCallResult['endedBy'], cause: string, status?: number): void {
    if (this.ended !== undefined) return;
    this.ended = { at: performance.now(), by: this.timedOut ? 'timeout' : by, cause, status };
    // we said goodbye: wait (a little) for the far end's answer so both sides finish cleanly
    if (by === 'local' && this.session !== undefined) {
      this.awaiting = this.answeredAt !== undefined ? 'BYE' : 'INVITE';
      this.later(GOODBYE_WAIT_MS, () => this.finish());
    } else {
      this.finish();
    }
  }

  /** Every frame from the server; used only to see the answer to our BYE or CANCEL. */
  private frame(text: string): void {
    if (this.awaiting === undefined) return;
    try {
      const m = parse(text);
      if (m.kind === 'response' && m.status >= 200 && cseq(m)?.method === this.awaiting) this.later(0, () => this.finish());
    } catch {
      // JsSIP judges malformed frames itself; here they just are not the answer awaited
    }
  }

  private finish(): void {
    if (this.ended === undefined || this.awaiting === 'done') return;
    this.awaiting = 'done';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // Closing the transport first fails JsSIP's leftover transactions (e.g. the INVITE client
    // transaction waiting 32 s on Timer M) so that stop() finds none and sets no close timer
    // (UA.stop() otherwise keeps the process alive for 2 s, and Timer M for 32 s).
    transportOf(this.ua)?.disconnect();
    this.ua.stop();
    const e = this.ended;
    this.resolve({
      invitedAt: this.invitedAt,
      progressAt: this.progressAt,
      answeredAt: this.answeredAt,
      endedAt: this.invitedAt === undefined ? undefined : (e.at - this.invitedAt) / 1000,
      dtmfSent: this.dtmfSent,
      dtmfAcked: this.dtmfAcked,
      endedBy: e.by,
      cause: e.cause,
      status: e.status,
    });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

/** JsSIP's UA.transport: public in JsSIP 3.13's JavaScript, missing from its type declarations. */
function transportOf(ua: UA): { disconnect(): void } | undefined {
  const t: unknown = (ua as unknown as { transport?: unknown }).transport;
  return typeof t === 'object' && t !== null && 'disconnect' in t && typeof t.disconnect === 'function' ? (t as { disconnect(): void }) : undefined;
}

function statusOf(e: EndEvent): number | undefined {
  const m: unknown = e.message;
  if (typeof m === 'object' && m !== null && 'status_code' in m && typeof m.status_code === 'number') return m.status_code;
  return undefined;
}
