// RFC 3261 message codec: text (or a datagram's bytes) to a SipMessage and back. Strict: any
// input that is not a well-formed message raises SipParseError saying what and where, and
// nothing else is ever thrown. Messages written the usual way take the one-pass fast path
// (parse-fast.ts; ASCII datagrams are read as latin1, no UTF-8 decoding); anything it is
// unsure of, malformed input included, goes to the full parser below, which alone decides
// errors and unusual forms. Linear scanners throughout.

import { isAscii } from 'node:buffer';
import { SipParseError, SipSerializeError } from './errors.js';
import { canonicalName, isListHeader } from './header-names.js';
import {
  checkCallId, checkRequestUri, isToken, isTokenChar, parseContentLength, parseCSeq, parseMaxForwards,
  parseMediaType, parseNameAddr, parseVia, splitList,
} from './header-values.js';
import type { SipHeader, SipMessage } from './message.js';
import { parseFast } from './parse-fast.js';

/** Default size limit of one message, in bytes (64 KiB). */
export const DEFAULT_MAX_SIZE = 65536;

export interface SipParseOptions {
  /** Largest accepted message in bytes; default {@link DEFAULT_MAX_SIZE}. */
  readonly maxSize?: number;
  /**
   * `datagram` (default): a missing Content-Length means the rest of the datagram (RFC 3261 18.3).
   * `stream`: Content-Length is mandatory.
   */
  readonly transport?: 'datagram' | 'stream';
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Headers that may appear once only; a second one is an error rather than a silent overwrite. */
const SINGLE = new Set(['Call-ID', 'CSeq', 'From', 'To', 'Max-Forwards', 'Content-Type']);

const NO_OPTIONS: SipParseOptions = Object.freeze({});

/** Parses one SIP message. Throws only {@link SipParseError}. */
export function parse(data: string | Uint8Array, options: SipParseOptions = NO_OPTIONS): SipMessage {
  try {
    const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
    const stream = options.transport === 'stream';
    let fast: SipMessage | undefined;
    if (typeof data === 'string') fast = parseFast(data, maxSize, stream, false);
    else if (data.byteLength <= maxSize && isAscii(data)) fast = parseFast(latin1(data), maxSize, stream, true);
    return fast ?? parseUnchecked(data, options);
  } catch (e) {
    throw asParseError(e);
  }
}

/**
 * The full parser alone, without the fast path: the reference the fast path is tested against.
 * Same contract as {@link parse}.
 */
export function parseFull(data: string | Uint8Array, options: SipParseOptions = NO_OPTIONS): SipMessage {
  try {
    return parseUnchecked(data, options);
  } catch (e) {
    throw asParseError(e);
  }
}

/** A bug in the codec must still not escape as anything but a parse error. */
function asParseError(e: unknown): SipParseError {
  return e instanceof SipParseError ? e : new SipParseError(`internal parser error: ${String(e)}`, { expected: 'a well-formed message' });
}

/** ASCII bytes as a string: latin1 decoding is a plain widening copy, with none of UTF-8's checks. */
function latin1(data: Uint8Array): string {
  return (Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)).toString('latin1');
}

/** The full parser: every form the grammar allows, and the positioned error for anything else. */
function parseUnchecked(data: string | Uint8Array, options: SipParseOptions): SipMessage {
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const isText = typeof data === 'string';
  // a string's UTF-8 size is between its length and three times it: count bytes only when unsure
  const size = !isText ? data.byteLength : data.length > maxSize || data.length * 3 <= maxSize ? data.length : Buffer.byteLength(data);
  if (size > maxSize) throw new SipParseError(`message of ${isText ? 'at least ' : ''}${size} bytes is over the size limit`, { expected: `at most ${maxSize} bytes`, offset: maxSize });
  if (size === 0) throw new SipParseError('empty message', { expected: 'a start line', offset: 0, line: 1, column: 1 });

  // RFC 3261 7.5: CRLFs before the start line are ignored (keep-alives)
  let pos = 0;
  const at = isText ? (k: number) => data.charCodeAt(k) : (k: number) => data[k] ?? -1;
  while (at(pos) === 13 && at(pos + 1) === 10) pos += 2;

  let text: string;
  let headEnd: number; // char index of the CRLFCRLF ending the headers, -1 if none
  let bytes: Buffer | undefined;
  if (isText) {
    text = data;
    headEnd = text.indexOf('\r\n\r\n', pos);
  } else {
    bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const bi = bytes.indexOf(CRLFCRLF, pos);
    try {
      text = utf8Strict.decode(bytes.subarray(0, bi < 0 ? bytes.length : bi + 4));
    } catch {
      throw new SipParseError('invalid UTF-8 in start line or headers', { expected: 'UTF-8 text' });
    }
    headEnd = bi < 0 ? -1 : text.length - 4;
  }
  const loc = new Locator(text);
  if (pos >= text.length) throw loc.error('message holds only CRLFs', 'a start line', '', pos);

  const lineEnd = text.indexOf('\r\n', pos);
  if (lineEnd < 0) {
    checkLine(text, pos, text.length, loc);
    throw loc.error('start line not terminated', 'CRLF after the start line', text.slice(pos), text.length);
  }
  const first = parseStartLine(text, pos, lineEnd, loc);
  if (headEnd < 0) throw loc.error('headers not terminated', 'an empty line (CRLF CRLF) after the headers', '', text.length);

  const headers: SipHeader[] = [];
  let contentLength: number | undefined;
  const seen = new Set<string>();
  // the header being assembled (folding appends to it)
  let name = '';
  let value = '';
  let hStart = -1;
  const flush = (): void => {
    if (hStart < 0) return;
    const v = value.trim();
    try {
      if (name === 'Content-Length') {
        const n = parseContentLength(v);
        if (contentLength !== undefined && n !== contentLength) throw new SipParseError('conflicting Content-Length headers', { expected: 'one Content-Length', found: v, header: name });
        contentLength = n;
        return;
      }
      if (SINGLE.has(name)) {
        if (seen.has(name)) throw new SipParseError(`duplicate ${name} header`, { expected: `one ${name} header`, found: v, header: name });
        seen.add(name);
      }
      if (v.length > 0 && isListHeader(name)) {
        for (const el of splitList(v, name)) {
          validate(name, el);
          headers.push({ name, value: el });
        }
      } else {
        validate(name, v);
        headers.push({ name, value: v });
      }
    } catch (e) {
      if (e instanceof SipParseError && e.offset === undefined) throw loc.wrap(e, hStart);
      throw e;
    }
  };

  pos = lineEnd + 2;
  while (pos < headEnd + 2) {
    const end = text.indexOf('\r\n', pos);
    checkLine(text, pos, end, loc);
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9) {
      if (hStart < 0) throw loc.error('continuation line before any header', 'a header name', text.slice(pos, end), pos);
      value = `${trimEnd(value)} ${text.slice(pos, end).trim()}`;
    } else {
      flush();
      let i = pos;
      while (i < end && isTokenChar(text.charCodeAt(i))) i++;
      if (i === pos) throw loc.error('bad header name', 'header name (token)', text.slice(pos, end), pos);
      const raw = text.slice(pos, i);
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (text.charCodeAt(i) !== 58) throw loc.error(`header "${raw}" has no colon`, '":" after the header name', text.slice(i, end), i);
      name = canonicalName(raw);
      value = text.slice(i + 1, end);
      hStart = pos;
    }
    pos = end + 2;
  }
  flush();

  const bodyStart = headEnd + 4;
  let body: string;
  if (contentLength === undefined) {
    if (options.transport === 'stream') throw loc.error('missing Content-Length', 'a Content-Length header on a stream transport', '', headEnd);
    body = bytes ? bytes.toString('utf8', Buffer.byteLength(text)) : text.slice(bodyStart);
  } else {
    if (contentLength > maxSize) throw loc.error(`Content-Length ${contentLength} is over the size limit`, `at most ${maxSize}`, String(contentLength), headEnd);
    let available: number;
    if (bytes) {
      const b0 = Buffer.byteLength(text);
      available = bytes.length - b0;
      body = available >= contentLength ? bytes.toString('utf8', b0, b0 + contentLength) : '';
    } else {
      const rest = text.slice(bodyStart);
      const restBytes = Buffer.byteLength(rest);
      available = restBytes;
      if (restBytes === rest.length) body = rest.slice(0, contentLength);
      else body = available >= contentLength ? Buffer.from(rest).toString('utf8', 0, contentLength) : '';
    }
    if (available < contentLength) {
      throw loc.error(`body is shorter than Content-Length (${available} < ${contentLength})`, `${contentLength} bytes of body`, `${available} bytes`, text.length);
    }
  }
  return first.kind === 'request'
    ? { kind: 'request', method: first.method, uri: first.uri, headers, body }
    : { kind: 'response', status: first.status, reason: first.reason, headers, body };
}

type StartLine = { kind: 'request'; method: string; uri: string } | { kind: 'response'; status: number; reason: string };

function parseStartLine(text: string, start: number, end: number, loc: Locator): StartLine {
  checkLine(text, start, end, loc);
  const line = text.slice(start, end);
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    if (line.slice(0, 7).toUpperCase() !== 'SIP/2.0') throw loc.error('unsupported SIP version', '"SIP/2.0"', line.slice(0, 12), start);
    if (line.charCodeAt(7) !== 32) throw loc.error('bad status line', 'SP after "SIP/2.0"', line.slice(7, 12), start + 7);
    let status = 0;
    for (let k = 8; k < 11; k++) {
      const d = line.charCodeAt(k) - 48;
      if (!(d >= 0 && d <= 9)) throw loc.error('bad status code', '3-digit status code', line.slice(8, 12), start + 8);
      status = status * 10 + d;
    }
    if (status < 100 || status > 699) throw loc.error(`status code ${status} out of range`, 'a status code 100-699', line.slice(8, 11), start + 8);
    if (line.length > 11 && line.charCodeAt(11) !== 32) throw loc.error('bad status line', 'SP after the status code', line.slice(11, 16), start + 11);
    if (line.length === 11) throw loc.error('bad status line', 'SP and a reason phrase after the status code', '', start + 11);
    return { kind: 'response', status, reason: line.slice(12) };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version
  const sp1 = line.indexOf(' ');
  const method = sp1 < 0 ? line : line.slice(0, sp1);
  if (!isToken(method)) throw loc.error('bad method', 'a method token (e.g. INVITE) or "SIP/2.0"', method, start);
  if (sp1 < 0) throw loc.error('bad request line', 'SP Request-URI SP "SIP/2.0" after the method', '', start + line.length);
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0) throw loc.error('bad request line', 'SP "SIP/2.0" after the Request-URI', line.slice(sp1 + 1), start + line.length);
  const uri = line.slice(sp1 + 1, sp2);
  try {
    checkRequestUri(uri);
  } catch (e) {
    if (e instanceof SipParseError) throw loc.wrap(e, start + sp1 + 1);
    throw e;
  }
  const version = line.slice(sp2 + 1);
  if (version.toUpperCase() !== 'SIP/2.0') throw loc.error('bad SIP version', '"SIP/2.0" at the end of the request line', version, start + sp2 + 1);
  return { kind: 'request', method, uri };
}

/** Rejects control characters (bare CR and LF included) in a header or start line. */
function checkLine(text: string, start: number, end: number, loc: Locator): void {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) {
      const what = c === 13 ? 'bare CR' : c === 10 ? 'bare LF' : `control character 0x${c.toString(16).padStart(2, '0')}`;
      throw loc.error(`${what} in line`, 'printable text (lines end with CRLF)', text.slice(start, end), i);
    }
  }
}

function validate(name: string, v: string): void {
  switch (name) {
    case 'Via': parseVia(v); break;
    case 'From': case 'To': parseNameAddr(v, name); break;
    case 'Contact': parseNameAddr(v, name, true); break;
    case 'Route': case 'Record-Route': parseNameAddr(v, name); break;
    case 'CSeq': parseCSeq(v); break;
    case 'Call-ID': checkCallId(v); break;
    case 'Max-Forwards': parseMaxForwards(v); break;
    case 'Content-Type': parseMediaType(v); break;
    default:
  }
}

function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && (s.charCodeAt(e - 1) === 32 || s.charCodeAt(e - 1) === 9)) e--;
  return s.slice(0, e);
}

/** Turns a char index in the message text into byte offset, line and column (only on errors). */
class Locator {
  constructor(private readonly text: string) {}
  error(what: string, expected: string, found: string, at: number): SipParseError {
    return new SipParseError(what, { expected, found, ...this.where(at) });
  }
  wrap(e: SipParseError, at: number): SipParseError {
    const d = { expected: e.expected, ...this.where(at), ...(e.found !== undefined ? { found: e.found } : {}), ...(e.header !== undefined ? { header: e.header } : {}) };
    return new SipParseError(e.what, d);
  }
  private where(at: number): { offset: number; line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf('\r\n'); i >= 0 && i < at; i = this.text.indexOf('\r\n', i + 2)) {
      line++;
      lineStart = i + 2;
    }
    return { offset: Buffer.byteLength(this.text.slice(0, at)), line, column: at - lineStart + 1 };
  }
}

/**
 * `"CRLF Name: "` for each header name spelling given to serialize (null for Content-Length,
 * which is recomputed): the canonical name is looked up once per spelling, not once per header.
 * Each prefix ends the line before it, so that a header adds two pieces to the message (the
 * prefix and the value), not three: every piece is a concatenation node until the text is
 * flattened for parsing or sending.
 */
const prefixes = new Map<string, string | null>();

function prefixOf(name: string): string | null {
  // the canonical names of nearly every message, without a lookup
  switch (name) {
    case 'Via': return '\r\nVia: ';
    case 'From': return '\r\nFrom: ';
    case 'To': return '\r\nTo: ';
    case 'Call-ID': return '\r\nCall-ID: ';
    case 'CSeq': return '\r\nCSeq: ';
    case 'Contact': return '\r\nContact: ';
    case 'Max-Forwards': return '\r\nMax-Forwards: ';
    case 'Content-Type': return '\r\nContent-Type: ';
    case 'User-Agent': return '\r\nUser-Agent: ';
    default:
  }
  const known = prefixes.get(name);
  if (known !== undefined) return known;
  if (!isToken(name)) throw new SipSerializeError(`bad header name ${JSON.stringify(name)}`);
  const canonical = canonicalName(name);
  const prefix = canonical === 'Content-Length' ? null : `\r\n${canonical}: `;
  // bounded against callers inventing names
  if (prefixes.size < 4096) prefixes.set(name, prefix);
  return prefix;
}

const WHITESPACE = /\s/;

/** Writes a message: canonical names, CRLF line ends, Content-Length recomputed from the body. */
export function serialize(m: SipMessage): string {
  let s: string;
  if (m.kind === 'request') {
    if (!isToken(m.method)) throw new SipSerializeError(`bad method ${JSON.stringify(m.method)}`);
    if (m.uri.length === 0 || WHITESPACE.test(m.uri)) throw new SipSerializeError(`bad Request-URI ${JSON.stringify(m.uri)}`);
    s = `${m.method} ${m.uri} SIP/2.0`;
  } else {
    if (!Number.isInteger(m.status) || m.status < 100 || m.status > 699) throw new SipSerializeError(`bad status ${m.status}`);
    if (m.reason.includes('\r') || m.reason.includes('\n')) throw new SipSerializeError('reason phrase contains CR or LF');
    s = `SIP/2.0 ${m.status} ${m.reason}`;
  }
  const headers = m.headers;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    const prefix = prefixOf(h.name);
    if (prefix === null) continue;
    const v = h.value;
    if (v.includes('\r') || v.includes('\n')) throw new SipSerializeError(`${prefix.slice(2, -2)} value contains CR or LF`);
    s = s + prefix + v;
  }
  const body = m.body;
  return `${s}\r\nContent-Length: ${body.length === 0 ? 0 : Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** {@link serialize} as UTF-8 bytes, for a datagram or a stream. */
export function encode(m: SipMessage): Buffer {
  return Buffer.from(serialize(m), 'utf8');
}
