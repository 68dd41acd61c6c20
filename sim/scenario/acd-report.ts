// What `callsim serve` tells a caller who asks about the ACD side of their call, so that
// `callsim load` can measure queue waits, agent rings and talk times of a real run the way a
// simulation records them. A caller asks with the INVITE header `X-Callsim-Report: acd`;
// serve then sends in-dialog INFOs with a small `key=value` body at each ACD step. Callers
// who do not ask (SIPp, softphones) never get one: an unexpected INFO would fail a SIPp
// scenario. Times (`t`) are serve's clock, in the scenario's seconds, so that intervals
// between two events carry no network or event-loop jitter on the caller's side.

/** The request header a caller sends to get ACD events, and its value. */
export const ACD_REPORT_HEADER = 'X-Callsim-Report';
export const ACD_REPORT_VALUE = 'acd';
/** The Content-Type of the INFOs that carry them. */
export const ACD_EVENT_TYPE = 'application/x-callsim-acd';

/**
 * `queued`: entered an agent queue; `agent-ringing`: an agent's phone rings for the call (again
 * after a ring-no-answer); `agent-answered`; `agent-hangup`: the agent ends the talk (the BYE
 * follows); `blocked`: no room to wait after the IVR (the BYE follows: a busy signal).
 */
export type AcdEventKind = 'queued' | 'agent-ringing' | 'agent-answered' | 'agent-hangup' | 'blocked';

const KINDS: ReadonlySet<string> = new Set<AcdEventKind>(['queued', 'agent-ringing', 'agent-answered', 'agent-hangup', 'blocked']);

export interface AcdEvent {
  readonly event: AcdEventKind;
  /** When it happened on serve's clock (seconds of the scenario). */
  readonly t: number;
  readonly center?: string;
  readonly queue?: string;
  readonly agent?: string;
  readonly group?: string;
  /** agent-answered: times an agent let it ring out before; the center it was dispatched from. */
  readonly ringNoAnswers?: number;
  readonly dispatchedFrom?: string;
  /** agent-hangup: time on hold during the talk, and holds past the limit. */
  readonly hold?: number;
  readonly holdViolations?: number;
}

const NUMERIC: ReadonlySet<string> = new Set(['t', 'ringNoAnswers', 'hold', 'holdViolations']);

/** The INFO body: one `key=value` per line, fields left out when undefined. */
export function formatAcdEvent(e: AcdEvent): string {
  let out = '';
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined) continue;
    const text = String(v);
    if (/[\r\n]/.test(text)) throw new TypeError(`ACD event field ${k} has a line break`);
    out += `${k}=${text}\r\n`;
  }
  return out;
}

/** Reads a body written by {@link formatAcdEvent}; undefined when it is not one (unknown event, bad time). */
export function parseAcdEvent(body: string): AcdEvent | undefined {
  const fields: Record<string, string | number> = {};
  for (const line of body.split(/\r?\n/)) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return undefined;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1);
    if (NUMERIC.has(k)) {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) return undefined;
      fields[k] = n;
    } else {
      fields[k] = v;
    }
  }
  if (typeof fields['event'] !== 'string' || !KINDS.has(fields['event']) || typeof fields['t'] !== 'number') return undefined;
  return fields as unknown as AcdEvent;
}
