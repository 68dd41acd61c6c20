// Grammars of the header values the transaction and dialog layers read (RFC 3261 section 25):
// Via, name-addr/addr-spec (From, To, Contact, Route), CSeq, Call-ID, Max-Forwards, Content-Type,
// and the comma-list splitter. The full scanners below are hand-written, linear, and say what is
// wrong and where; a value in its common form (header-scan's `simpleValue`) is built directly
// by header-simple.ts instead, with the same result.

import { SipParseError } from './errors.js';
import { simpleValue } from './header-scan.js';
import { cseqOfSimple, mediaTypeOfSimple, nameAddrOfSimple, viaOfSimple } from './header-simple.js';
import type { CSeq, MediaType, NameAddr, SipParams, Via } from './message.js';

/** Character classes of RFC 3261 section 25 (ASCII codes; 1 = member): token, word, hostname. */
export const TOKEN = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`\'~') TOKEN[c.charCodeAt(0)] = 1;
export const WORD = TOKEN.slice();
for (const c of '()<>:\\"/[]?{}') WORD[c.charCodeAt(0)] = 1;
export const HOST = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.') HOST[c.charCodeAt(0)] = 1;

export function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

function fail(what: string, expected: string, found: string, header?: string): never {
  throw new SipParseError(what, header === undefined ? { expected, found } : { expected, found, header });
}

/** A cursor over one header value. */
class Scanner {
  i = 0;
  constructor(readonly s: string, readonly header: string) {}
  get done(): boolean { return this.i >= this.s.length; }
  peek(): number { return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1; }
  ws(): number {
    const start = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c !== 32 && c !== 9) break;
      this.i++;
    }
    return this.i - start;
  }
  rest(): string { return this.s.slice(this.i, this.i + 20); }
  fail(what: string, expected: string): never { return fail(what, expected, this.rest(), this.header); }
  expect(ch: string, what: string): void {
    if (this.s[this.i] !== ch) this.fail(what, JSON.stringify(ch));
    this.i++;
  }
  take(table: Uint8Array, what: string, expected: string): string {
    const start = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c >= 128 || table[c] !== 1) break;
      this.i++;
    }
    if (this.i === start) this.fail(what, expected);
    return this.s.slice(start, this.i);
  }
  quoted(): string {
    // quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE; returns the unescaped content
    this.expect('"', 'missing opening quote');
    let out = '';
    while (this.i < this.s.length) {
      const ch = this.s[this.i]!;
      if (ch === '"') { this.i++; return out; }
      if (ch === '\\') {
        if (this.i + 1 >= this.s.length) break;
        out += this.s[this.i + 1]!;
        this.i += 2;
        continue;
      }
      out += ch;
      this.i++;
    }
    return this.fail('unterminated quoted string', 'closing \'"\'');
  }
  digits(what: string, maxLen: number): number {
    const start = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c < 48 || c > 57) break;
      this.i++;
    }
    if (this.i === start || this.i - start > maxLen) this.fail(what, `1*${maxLen}DIGIT`);
    return Number(this.s.slice(start, this.i));
  }
  host(): string {
    if (this.peek() === 0x5b /* [ */) {
      const end = this.s.indexOf(']', this.i);
      if (end < 0) this.fail('unterminated IPv6 reference', '"]"');
      const v = this.s.slice(this.i, end + 1);
      for (let k = 1; k < v.length - 1; k++) {
        const c = v.charCodeAt(k);
        if (!(c === 58 || c === 46 || (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102))) this.fail('bad IPv6 reference', 'hex digits, ":" or "."');
      }
      this.i = end + 1;
      return v;
    }
    return this.take(HOST, 'missing host', 'hostname or IPv4 address');
  }
  /** *( SEMI generic-param ), then end of value. */
  params(): Map<string, string | null> {
    const params = new Map<string, string | null>();
    for (;;) {
      this.ws();
      if (this.done) return params;
      this.expect(';', 'unexpected text after value');
      this.ws();
      const name = this.take(TOKEN, 'missing parameter name', 'token').toLowerCase();
      this.ws();
      let value: string | null = null;
      if (this.peek() === 0x3d /* = */) {
        this.i++;
        this.ws();
        const c = this.peek();
        if (c === 0x22) value = this.quoted();
        else if (c === 0x5b) value = this.host();
        else value = this.take(TOKEN, `missing value of parameter "${name}"`, 'token, host or quoted-string');
      }
      if (params.has(name)) this.fail(`duplicate parameter "${name}"`, 'each parameter once');
      params.set(name, value);
    }
  }
}

/**
 * Splits a list header value on commas outside quoted strings and `<...>`, trimming each element.
 * Keeps order; an empty element or an unbalanced quote/bracket is an error.
 */
export function splitList(value: string, header: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (inAngle) { if (c === 0x3e) inAngle = false; }
    else if (c === 0x3c) inAngle = true;
    else if (c === 0x2c) {
      out.push(trimElement(value.slice(start, i), header));
      start = i + 1;
    }
  }
  if (inQuote) fail('unterminated quoted string', 'closing \'"\'', value, header);
  if (inAngle) fail('unterminated "<"', '">"', value, header);
  out.push(trimElement(value.slice(start), header));
  return out;
}

function trimElement(s: string, header: string): string {
  const t = s.trim();
  if (t.length === 0) fail('empty element in comma-separated list', 'a value between commas', s, header);
  return t;
}

/** Via value: `SIP / 2.0 / transport sent-by *(; via-params)`. */
export function parseVia(value: string): Via {
  return simpleValue.via(value) ? viaOfSimple(value) : parseViaFull(value);
}

function parseViaFull(value: string): Via {
  const s = new Scanner(value, 'Via');
  const name = s.take(TOKEN, 'missing protocol name', '"SIP"');
  s.ws(); s.expect('/', 'bad sent-protocol'); s.ws();
  const version = s.take(TOKEN, 'missing protocol version', '"2.0"');
  s.ws(); s.expect('/', 'bad sent-protocol'); s.ws();
  const transport = s.take(TOKEN, 'missing transport', 'transport token (UDP, TCP, ...)').toUpperCase();
  const protocol = `${name.toUpperCase()}/${version}`;
  if (protocol !== 'SIP/2.0') fail('unsupported protocol', '"SIP/2.0"', protocol, 'Via');
  if (s.ws() === 0) s.fail('missing space before sent-by', 'LWS');
  const host = s.host();
  s.ws();
  let port: number | undefined;
  if (s.peek() === 0x3a) {
    s.i++; s.ws();
    port = s.digits('bad port', 5);
    if (port > 65535) fail('port out of range', '0-65535', String(port), 'Via');
  }
  const params = s.params();
  const rp = params.get('rport');
  let rport: number | true | undefined;
  if (rp === null) rport = true;
  else if (rp !== undefined) {
    if (!/^\d{1,5}$/.test(rp) || Number(rp) > 65535) fail('bad rport', 'a port number', rp, 'Via');
    rport = Number(rp);
  }
  return {
    protocol, transport, host, port,
    branch: params.get('branch') ?? undefined,
    received: params.get('received') ?? undefined,
    rport, params,
  };
}

function checkUri(uri: string, header: string): void {
  // scheme ":" something, no whitespace or controls; the full URI grammar is not needed here
  let i = 0;
  const c0 = uri.charCodeAt(0);
  if (!((c0 | 32) >= 97 && (c0 | 32) <= 122)) fail('bad URI', 'URI scheme (e.g. "sip:")', uri, header);
  for (i = 1; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c === 0x3a) break;
    if (!(((c | 32) >= 97 && (c | 32) <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) {
      fail('bad URI scheme', 'scheme ":"', uri, header);
    }
  }
  if (i >= uri.length - 1) fail('bad URI', 'scheme ":" followed by the rest of the URI', uri, header);
  for (; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 0x3c || c === 0x3e || c === 0x22) fail('bad character in URI', 'URI characters', uri, header);
  }
}

/** Validates a Request-URI (absoluteURI without spaces). */
export function checkRequestUri(uri: string): void {
  checkUri(uri, 'Request-URI');
}

/** name-addr (`"Name" <uri>;params`) or addr-spec (`uri;params`); `*` when `allowStar` (Contact). */
export function parseNameAddr(value: string, header: string, allowStar = false): NameAddr {
  return simpleValue.nameAddr(value, allowStar) ? nameAddrOfSimple(value) : parseNameAddrFull(value, header, allowStar);
}

function parseNameAddrFull(value: string, header: string, allowStar = false): NameAddr {
  const s = new Scanner(value, header);
  if (allowStar && value === '*') return { displayName: undefined, uri: '*', tag: undefined, params: new Map() };
  let displayName: string | undefined;
  let uri: string;
  const lt = value.indexOf('<');
  const c0 = s.peek();
  if (c0 === 0x22) {
    displayName = s.quoted();
    s.ws();
  } else if (lt > 0) {
    // token display name: only tokens and LWS before '<', otherwise this is an addr-spec
    let tokens = true;
    for (let k = 0; k < lt; k++) {
      const c = value.charCodeAt(k);
      if (!(c === 32 || c === 9 || isTokenChar(c))) { tokens = false; break; }
    }
    if (tokens) {
      displayName = value.slice(0, lt).trim().replace(/[ \t]+/g, ' ');
      s.i = lt;
    }
  }
  if (s.peek() === 0x3c) {
    const end = value.indexOf('>', s.i);
    if (end < 0) s.fail('unterminated "<"', '">"');
    uri = value.slice(s.i + 1, end);
    s.i = end + 1;
  } else {
    if (displayName !== undefined) s.fail('display name without <URI>', '"<"');
    const start = s.i;
    while (s.i < value.length) {
      const c = value.charCodeAt(s.i);
      if (c === 0x3b || c === 32 || c === 9) break;
      s.i++;
    }
    uri = value.slice(start, s.i);
  }
  checkUri(uri, header);
  const params = s.params();
  return { displayName, uri, tag: params.get('tag') ?? undefined, params };
}

/** CSeq value: `1*DIGIT LWS Method`, the number below 2**31. */
export function parseCSeq(value: string): CSeq {
  return simpleValue.cseq(value) ? cseqOfSimple(value) : parseCSeqFull(value);
}

function parseCSeqFull(value: string): CSeq {
  const s = new Scanner(value, 'CSeq');
  const seq = s.digits('bad sequence number', 10);
  if (seq >= 2 ** 31) fail('sequence number out of range', 'a number below 2**31', String(seq), 'CSeq');
  if (s.ws() === 0) s.fail('missing space after sequence number', 'LWS');
  const method = s.take(TOKEN, 'missing method', 'method token');
  if (!s.done) s.fail('unexpected text after method', 'end of value');
  return { seq, method };
}

/** Call-ID value: `word ["@" word]`. */
export function checkCallId(value: string): string {
  return simpleValue.callId(value) ? value : checkCallIdFull(value);
}

function checkCallIdFull(value: string): string {
  const s = new Scanner(value, 'Call-ID');
  s.take(WORD, 'bad Call-ID', 'word');
  if (s.peek() === 0x40) { s.i++; s.take(WORD, 'bad Call-ID host part', 'word after "@"'); }
  if (!s.done) s.fail('bad character in Call-ID', 'word ["@" word]');
  return value;
}

/** Max-Forwards value: 0-255. */
export function parseMaxForwards(value: string): number {
  return simpleValue.maxForwards(value) ? Number(value) : parseMaxForwardsFull(value);
}

function parseMaxForwardsFull(value: string): number {
  const s = new Scanner(value, 'Max-Forwards');
  const n = s.digits('bad Max-Forwards', 3);
  if (!s.done || n > 255) fail('bad Max-Forwards', 'a number 0-255', value, 'Max-Forwards');
  return n;
}

/** Content-Length value: 1*DIGIT. */
export function parseContentLength(value: string): number {
  return simpleValue.digits(value) ? Number(value) : parseContentLengthFull(value);
}

function parseContentLengthFull(value: string): number {
  const s = new Scanner(value, 'Content-Length');
  const n = s.digits('bad Content-Length', 10);
  if (!s.done) s.fail('bad Content-Length', '1*DIGIT');
  return n;
}

/** Content-Type value: `type "/" subtype *(; param)`. */
export function parseMediaType(value: string): MediaType {
  return simpleValue.mediaType(value) ? mediaTypeOfSimple(value) : parseMediaTypeFull(value);
}

function parseMediaTypeFull(value: string): MediaType {
  const s = new Scanner(value, 'Content-Type');
  const type = s.take(TOKEN, 'missing media type', 'token');
  s.ws(); s.expect('/', 'missing "/" in media type'); s.ws();
  const sub = s.take(TOKEN, 'missing media subtype', 'token');
  const params: SipParams = s.params();
  return { type: `${type}/${sub}`.toLowerCase(), params };
}

/** The full scanners alone, without the common-form shortcut: the reference the shortcut is tested against. */
export const fullScanners = {
  parseVia: parseViaFull,
  parseNameAddr: parseNameAddrFull,
  parseCSeq: parseCSeqFull,
  checkCallId: checkCallIdFull,
  parseMaxForwards: parseMaxForwardsFull,
  parseContentLength: parseContentLengthFull,
  parseMediaType: parseMediaTypeFull,
};
