// Read access to the header fields the transaction and dialog layers need (RFC 3261 8.1.1):
// top Via and its branch, Call-ID, CSeq, From/To tags, Contact, Max-Forwards, Content-Type.
// Values are parsed on demand; a malformed value (possible only in a hand-built message,
// since `parse` validates them) raises SipParseError.

import { canonicalName } from './header-names.js';
import {
  checkCallId, parseCSeq, parseMaxForwards, parseMediaType, parseNameAddr, parseVia,
} from './header-values.js';
import type { CSeq, MediaType, NameAddr, SipMessage, Via } from './message.js';

/** First value of a header (any spelling, compact forms included), or undefined. */
export function header(m: SipMessage, name: string): string | undefined {
  const n = canonicalName(name);
  for (const h of m.headers) if (h.name === n) return h.value;
  return undefined;
}

/** All values of a header, in message order. */
export function headerValues(m: SipMessage, name: string): string[] {
  const n = canonicalName(name);
  const out: string[] = [];
  for (const h of m.headers) if (h.name === n) out.push(h.value);
  return out;
}

export function topVia(m: SipMessage): Via | undefined {
  const v = header(m, 'Via');
  return v === undefined ? undefined : parseVia(v);
}

export function vias(m: SipMessage): Via[] {
  return headerValues(m, 'Via').map(parseVia);
}

export function callId(m: SipMessage): string | undefined {
  const v = header(m, 'Call-ID');
  return v === undefined ? undefined : checkCallId(v);
}

export function cseq(m: SipMessage): CSeq | undefined {
  const v = header(m, 'CSeq');
  return v === undefined ? undefined : parseCSeq(v);
}

export function from(m: SipMessage): NameAddr | undefined {
  const v = header(m, 'From');
  return v === undefined ? undefined : parseNameAddr(v, 'From');
}

export function to(m: SipMessage): NameAddr | undefined {
  const v = header(m, 'To');
  return v === undefined ? undefined : parseNameAddr(v, 'To');
}

export function contacts(m: SipMessage): NameAddr[] {
  return headerValues(m, 'Contact').map((v) => parseNameAddr(v, 'Contact', true));
}

/** URI of the first Contact (`*` for a REGISTER wildcard), or undefined. */
export function contactUri(m: SipMessage): string | undefined {
  const v = header(m, 'Contact');
  return v === undefined ? undefined : parseNameAddr(v, 'Contact', true).uri;
}

export function maxForwards(m: SipMessage): number | undefined {
  const v = header(m, 'Max-Forwards');
  return v === undefined ? undefined : parseMaxForwards(v);
}

export function contentType(m: SipMessage): MediaType | undefined {
  const v = header(m, 'Content-Type');
  return v === undefined ? undefined : parseMediaType(v);
}

/** What Content-Length the message has on the wire: the UTF-8 length of its body. */
export function contentLength(m: SipMessage): number {
  return Buffer.byteLength(m.body);
}
