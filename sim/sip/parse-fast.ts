// The codec's fast path: one pass over a message written the usual way (canonical or compact
// header names, no folding, ASCII bodies, the common forms of each checked value), each line
// checked in place by header-scan's native matchers, with no intermediate strings, arrays or
// maps. It returns undefined whenever it is not certain, and the full parser in codec.ts then
// decides, so errors (and their positions) and unusual forms are exactly the full parser's; on
// what it accepts it gives the same message (parse-fast.prop.test.ts checks both).

import { anyName, HeaderKind, knownNameAt, type HeaderName } from './header-names.js';
import {
  callIdEnd, checked, cseqEnd, digitsAt, digitsEnd, maxForwardsEnd, mediaTypeEnd, nameAddrEnd, printableEnd, requestUriEnd, viaEnd,
} from './header-scan.js';
import { TOKEN } from './header-values.js';
import type { SipHeader, SipMessage } from './message.js';

const SP = 32;
const HTAB = 9;
const CR = 13;
const LF = 10;

/** Headers that may appear once only: one bit each, by kind (0: any number of times). */
const ONCE = new Uint8Array(HeaderKind.ContentLength + 1);
ONCE[HeaderKind.From] = 1;
ONCE[HeaderKind.To] = 2;
ONCE[HeaderKind.CallId] = 4;
ONCE[HeaderKind.CSeq] = 8;
ONCE[HeaderKind.MaxForwards] = 16;
ONCE[HeaderKind.ContentType] = 32;
/** Bits of `seen` past ONCE's: the first Via and the first Contact were met. */
const FIRST_VIA = 64;
const FIRST_CONTACT = 128;

function isTok(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

/**
 * Parses `text` when it is a message the fast path is sure of; undefined otherwise (malformed
 * or unusual). `ascii`: the text came from bytes known to be ASCII, so characters are bytes.
 */
export function parseFast(text: string, maxSize: number, stream: boolean, ascii: boolean): SipMessage | undefined {
  const length = text.length;
  // a string's UTF-8 size is at most three times its length: the size limit is certain below that
  if (length === 0 || (ascii ? length : length * 3) > maxSize) return undefined;
  // Every character of the head is vetted by a scanner that admits no control character, and
  // each line must end with CRLF; so the head has no bare CR, bare LF or other control.
  const lineEnd = text.indexOf('\r');
  if (lineEnd <= 0 || text.charCodeAt(lineEnd + 1) !== LF) return undefined;

  let method = '';
  let uri = '';
  let status = 0;
  let reason = '';
  const isResponse = text.startsWith('SIP/2.0 ');
  if (isResponse) {
    for (let k = 8; k < 11; k++) {
      const d = text.charCodeAt(k) - 48;
      if (d < 0 || d > 9) return undefined;
      status = status * 10 + d;
    }
    if (status < 100 || status > 699 || text.charCodeAt(11) !== SP || printableEnd(text, 12) !== lineEnd) return undefined;
    reason = text.slice(12, lineEnd);
  } else {
    let i = 0;
    while (isTok(text.charCodeAt(i))) i++;
    if (i === 0 || text.charCodeAt(i) !== SP) return undefined;
    const sp2 = requestUriEnd(text, i + 1);
    if (sp2 < 0 || sp2 + 8 !== lineEnd || !text.startsWith('SIP/2.0', sp2 + 1)) return undefined;
    method = knownMethod(text, i) ?? text.slice(0, i);
    uri = text.slice(i + 1, sp2);
  }

  const headers: SipHeader[] = [];
  let seen = 0;
  let contentLength = -1;
  let pos = lineEnd + 2;
  for (;;) {
    const c0 = text.charCodeAt(pos);
    if (c0 === CR) {
      // the empty line ending the head
      if (text.charCodeAt(pos + 1) !== LF) return undefined;
      break;
    }
    if (c0 === SP || c0 === HTAB) return undefined; // folding: the full parser joins lines
    const known = knownNameAt(text, pos);
    let h: HeaderName;
    let vs: number;
    if (known !== undefined) {
      h = known;
      vs = pos + known.text.length + 1;
    } else {
      let i = pos;
      while (isTok(text.charCodeAt(i))) i++;
      if (i === pos) return undefined;
      const ne = i;
      while (text.charCodeAt(i) === SP || text.charCodeAt(i) === HTAB) i++;
      if (text.charCodeAt(i) !== 0x3a) return undefined;
      h = anyName(text.slice(pos, ne));
      vs = i + 1;
    }
    while (text.charCodeAt(vs) === SP || text.charCodeAt(vs) === HTAB) vs++;
    const kind = h.kind;
    let end: number;
    switch (kind) {
      case HeaderKind.Via: end = viaEnd(text, vs); break;
      case HeaderKind.From: case HeaderKind.To: case HeaderKind.Route: end = nameAddrEnd(text, vs, false); break;
      case HeaderKind.Contact: end = nameAddrEnd(text, vs, true); break;
      case HeaderKind.CSeq: end = cseqEnd(text, vs); break;
      case HeaderKind.CallId: end = callIdEnd(text, vs); break;
      case HeaderKind.MaxForwards: end = maxForwardsEnd(text, vs); break;
      case HeaderKind.ContentType: end = mediaTypeEnd(text, vs); break;
      case HeaderKind.ContentLength: end = digitsEnd(text, vs); break;
      default: end = printableEnd(text, vs);
    }
    if (end < 0 || text.charCodeAt(end + 1) !== LF) return undefined;
    // trim SP/HTAB; a non-ASCII character at either edge might be Unicode space that trim() removes
    let ve = end;
    while (ve > vs && (text.charCodeAt(ve - 1) === SP || text.charCodeAt(ve - 1) === HTAB)) ve--;
    if (ve > vs && (text.charCodeAt(vs) >= 128 || text.charCodeAt(ve - 1) >= 128)) return undefined;
    pos = end + 2;

    const once = ONCE[kind]!;
    if (once !== 0) {
      if ((seen & once) !== 0) return undefined;
      seen |= once;
    }
    if (kind === HeaderKind.ContentLength) {
      const n = digitsAt(text, vs);
      if (contentLength >= 0 && n !== contentLength) return undefined;
      contentLength = n;
      continue; // derived from the body, never stored
    }
    if (kind === HeaderKind.PlainList) {
      // quotes and <...> change where the full parser splits, or are unbalanced: its call
      if (!unquoted(text, vs, ve)) return undefined;
      const comma = text.indexOf(',', vs);
      if (comma >= 0 && comma < ve) {
        if (!splitPlain(text, vs, ve, h.canonical, headers)) return undefined;
        continue;
      }
    }
    const value = text.slice(vs, ve);
    headers.push({ name: h.canonical, value });
    // values the line scanners accepted, for the accessors that read them next (see `checked`)
    switch (kind) {
      case HeaderKind.Via: if ((seen & FIRST_VIA) === 0) { seen |= FIRST_VIA; checked.via = value; } break;
      case HeaderKind.From: checked.from = value; break;
      case HeaderKind.To: checked.to = value; break;
      case HeaderKind.Contact: if ((seen & FIRST_CONTACT) === 0) { seen |= FIRST_CONTACT; checked.contact = value; } break;
      case HeaderKind.CSeq: checked.cseq = value; break;
      case HeaderKind.CallId: checked.callId = value; break;
      case HeaderKind.ContentType: checked.mediaType = value; break;
      default:
    }
  }

  const bodyStart = pos + 2;
  let body: string;
  if (contentLength < 0) {
    if (stream) return undefined;
    body = text.slice(bodyStart);
  } else {
    const bodyEnd = bodyStart + contentLength;
    if (contentLength > maxSize || bodyEnd > length) return undefined;
    body = contentLength === 0 ? '' : text.slice(bodyStart, bodyEnd);
    // Content-Length counts bytes: characters are bytes only for ASCII (native check, no copy)
    if (!ascii && contentLength > 0 && Buffer.byteLength(body) !== contentLength) return undefined;
  }
  return isResponse
    ? { kind: 'response', status, reason, headers, body }
    : { kind: 'request', method, uri, headers, body };
}

/**
 * The method of `text[0, length)` as a constant when it is one a call uses: no new string
 * per message, and comparisons with the constants elsewhere are then pointer comparisons.
 */
function knownMethod(text: string, length: number): string | undefined {
  switch (length) {
    case 3: return text.startsWith('ACK') ? 'ACK' : text.startsWith('BYE') ? 'BYE' : undefined;
    case 4: return text.startsWith('INFO') ? 'INFO' : undefined;
    case 5: return text.startsWith('REFER') ? 'REFER' : undefined;
    case 6: return text.startsWith('INVITE') ? 'INVITE' : text.startsWith('CANCEL') ? 'CANCEL' : undefined;
    case 7: return text.startsWith('OPTIONS') ? 'OPTIONS' : undefined;
    default: return undefined;
  }
}

/** No `"` and no `<` in `text[vs, ve)`. */
function unquoted(text: string, vs: number, ve: number): boolean {
  for (let k = vs; k < ve; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x22 || c === 0x3c) return false;
  }
  return true;
}

/** A plain list value with commas and without quotes or `<...>`: one header per element. */
function splitPlain(text: string, vs: number, ve: number, name: string, headers: SipHeader[]): boolean {
  let s = vs;
  for (;;) {
    let e = text.indexOf(',', s);
    if (e < 0 || e > ve) e = ve;
    let a = s;
    let b = e;
    while (a < b && (text.charCodeAt(a) === SP || text.charCodeAt(a) === HTAB)) a++;
    while (b > a && (text.charCodeAt(b - 1) === SP || text.charCodeAt(b - 1) === HTAB)) b--;
    if (a === b || text.charCodeAt(a) >= 128 || text.charCodeAt(b - 1) >= 128) return false;
    headers.push({ name, value: text.slice(a, b) });
    if (e === ve) return true;
    s = e + 1;
  }
}
