// DTMF by SIP INFO, as IVRs and softphones send it: `application/dtmf-relay` (a `Signal=5`
// line and a `Duration=160` line, the Cisco/SIPp form) and `application/dtmf` (the key alone).
// One key per INFO. A body that names no valid key is not a key (the UAS answers 415 or 400).

/** The keys of a telephone keypad (RFC 4733 events 0-15: 0-9, *, #, A-D). */
const KEYS = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D']);

export type DtmfContentType = 'application/dtmf-relay' | 'application/dtmf';

export const DTMF_CONTENT_TYPES: readonly DtmfContentType[] = ['application/dtmf-relay', 'application/dtmf'];

/** The INFO body carrying `key`; `duration` in milliseconds (dtmf-relay only). */
export function dtmfBody(key: string, type: DtmfContentType = 'application/dtmf-relay', duration = 160): string {
  return type === 'application/dtmf' ? key : `Signal=${key}\r\nDuration=${duration}\r\n`;
}

/**
 * The key an INFO body carries, or undefined when it carries none. `type` is the lowercased
 * media type. `Signal=10` and `11` are accepted for * and # (some gateways send event codes).
 */
export function dtmfKey(type: string, body: string): string | undefined {
  let raw: string | undefined;
  if (type === 'application/dtmf') {
    raw = body.trim();
  } else if (type === 'application/dtmf-relay') {
    for (const line of body.split(/\r?\n/)) {
      const eq = line.indexOf('=');
      if (eq > 0 && line.slice(0, eq).trim().toLowerCase() === 'signal') {
        raw = line.slice(eq + 1).trim();
        break;
      }
    }
  } else {
    return undefined;
  }
  if (raw === undefined) return undefined;
  if (raw === '10') return '*';
  if (raw === '11') return '#';
  const key = raw.toUpperCase();
  return KEYS.has(key) ? key : undefined;
}
