// Read access to the header fields the transaction and dialog layers need (RFC 3261 8.1.1):
// top Via and its branch, Call-ID, CSeq, From/To tags, Contact, Max-Forwards, Content-Type.
// Values are parsed on demand; a malformed value (possible only in a hand-built message,
// since `parse` validates them) raises SipParseError. Each accessor remembers the last value
// it parsed and its result, since a message's layers ask for the same header several times in
// a row; results are immutable values and may be shared between messages with equal headers.

import { canonicalName } from './header-names.js';
import {
  checkCallId, parseCSeq, parseMaxForwards, parseMediaType, parseNameAddr, parseVia,
} from './header-values.js';
import { checked, simpleValue } from './header-scan.js';
import { tagOfSimple, uriOfSimple, viaKeyOfSimple, type ViaKey } from './header-simple.js';
import type { CSeq, MediaType, NameAddr, SipMessage, Via } from './message.js';

/** First value of a header (any spelling, compact forms included), or undefined. */
export function header(m: SipMessage, name: string): string | undefined {
  return first(m, canonicalName(name));
}

/** All values of a header, in message order. */
export function headerValues(m: SipMessage, name: string): string[] {
  const n = canonicalName(name);
  const out: string[] = [];
  for (const h of m.headers) if (h.name === n) out.push(h.value);
  return out;
}

/** First value of the header with this canonical name. */
function first(m: SipMessage, canonical: string): string | undefined {
  const hs = m.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    if (h.name === canonical) return h.value;
  }
  return undefined;
}

/** The last value one accessor parsed, and what it gave (a value that failed is not kept). */
class LastParsed<T> {
  private value: string | undefined;
  private result: T | undefined;
  constructor(private readonly parseValue: (v: string) => T) {}
  of(v: string | undefined): T | undefined {
    if (v === undefined) return undefined;
    if (v !== this.value) {
      this.result = this.parseValue(v);
      this.value = v;
    }
    return this.result;
  }
}

const lastVia = new LastParsed(parseVia);
const lastCallId = new LastParsed(checkCallId);
const lastCSeq = new LastParsed(parseCSeq);
const lastFrom = new LastParsed((v) => parseNameAddr(v, 'From'));
const lastTo = new LastParsed((v) => parseNameAddr(v, 'To'));
const lastContact = new LastParsed((v) => parseNameAddr(v, 'Contact', true));
const lastMaxForwards = new LastParsed(parseMaxForwards);
const lastContentType = new LastParsed(parseMediaType);

export function topVia(m: SipMessage): Via | undefined {
  return lastVia.of(first(m, 'Via'));
}

/**
 * The top Via's branch and sent-by, as `topVia(m)` has them. A common-form value (one the
 * parser has just checked, or one the shortcut's grammar accepts) is read without building
 * its Via and parameter map.
 */
export function topViaKey(m: SipMessage): ViaKey | undefined {
  return lastViaKey.of(first(m, 'Via'));
}

const lastViaKey = new LastParsed<ViaKey>((v) => (v === checked.via || simpleValue.via(v) ? viaKeyOfSimple(v) : parseVia(v)));

export function vias(m: SipMessage): Via[] {
  return headerValues(m, 'Via').map(parseVia);
}

export function callId(m: SipMessage): string | undefined {
  return lastCallId.of(first(m, 'Call-ID'));
}

export function cseq(m: SipMessage): CSeq | undefined {
  return lastCSeq.of(first(m, 'CSeq'));
}

export function from(m: SipMessage): NameAddr | undefined {
  return lastFrom.of(first(m, 'From'));
}

export function to(m: SipMessage): NameAddr | undefined {
  return lastTo.of(first(m, 'To'));
}

/**
 * The From tag, as `from(m)?.tag`. A value the parser has just checked (see header-scan's
 * `checked`) is read in place, without building its NameAddr.
 */
export function fromTag(m: SipMessage): string | undefined {
  return lastFromTag.of(first(m, 'From'));
}

/** The To tag, as `to(m)?.tag`; see {@link fromTag}. */
export function toTag(m: SipMessage): string | undefined {
  return lastToTag.of(first(m, 'To'));
}

// a user agent and its transaction layer ask for a message's tags two or three times
const lastFromTag = new LastParsed((v) => (v === checked.from ? tagOfSimple(v) : lastFrom.of(v)!.tag));
const lastToTag = new LastParsed((v) => (v === checked.to ? tagOfSimple(v) : lastTo.of(v)!.tag));

export function contacts(m: SipMessage): NameAddr[] {
  return headerValues(m, 'Contact').map((v) => parseNameAddr(v, 'Contact', true));
}

/** URI of the first Contact (`*` for a REGISTER wildcard), or undefined; see {@link fromTag}. */
export function contactUri(m: SipMessage): string | undefined {
  const v = first(m, 'Contact');
  return v !== undefined && v === checked.contact ? uriOfSimple(v) : lastContact.of(v)?.uri;
}

export function maxForwards(m: SipMessage): number | undefined {
  return lastMaxForwards.of(first(m, 'Max-Forwards'));
}

export function contentType(m: SipMessage): MediaType | undefined {
  return lastContentType.of(first(m, 'Content-Type'));
}

/** What Content-Length the message has on the wire: the UTF-8 length of its body. */
export function contentLength(m: SipMessage): number {
  const body = m.body;
  return body.length === 0 ? 0 : Buffer.byteLength(body);
}
