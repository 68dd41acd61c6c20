// Answering input that the codec refused (RFC 3261 §8.2, §21.4.1): a request that fails to
// parse, or is over the size limit, still deserves a 400 (or 513) when enough of it can be read
// to route and match the answer. This file salvages those headers leniently from the raw bytes
// and builds the rejection; responses, ACKs (never answered, §17.2.1) and garbage are dropped.

import { SipParseError } from './errors.js';
import { canonicalName } from './header-names.js';
import { checkCallId, isToken, parseCSeq, parseNameAddr, parseVia, splitList } from './header-values.js';
import type { SipHeader, SipResponse } from './message.js';

/** What could be read of a request the codec refused. */
export interface SalvagedRequest {
  readonly method: string;
  /** Every Via value, in order; each one parses. */
  readonly vias: readonly string[];
  readonly cseq: string;
  /** Present when it was there once and parses. */
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly callId: string | undefined;
}

/** How much of the head of a message is scanned: more than any sane header block. */
const SCAN_LIMIT = 65536;

/**
 * Reads the request line and the Via, CSeq, From, To and Call-ID headers of a message the codec
 * refused. Returns undefined when the answer could not be routed and matched: not a request,
 * an ACK, no Via, a Via that does not parse, or no valid CSeq.
 */
export function salvageRequest(data: Uint8Array | string): SalvagedRequest | undefined {
  const raw = typeof data === 'string' ? data.slice(0, SCAN_LIMIT) : Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, SCAN_LIMIT)).toString('utf8');
  // lenient on purpose: bare LF line ends are accepted here, only to find the headers
  const lines = raw.replace(/^(\r?\n)+/, '').split(/\r?\n/);
  const first = lines[0] ?? '';
  const sp = first.indexOf(' ');
  const method = sp < 0 ? '' : first.slice(0, sp);
  // a status line starts with "SIP/2.0", which is not a method token
  if (!isToken(method) || method === 'ACK') return undefined;

  const seen = new Map<string, string[]>();
  let current: { name: string; value: string } | undefined;
  const flush = (): void => {
    if (current === undefined) return;
    const list = seen.get(current.name) ?? [];
    list.push(current.value.trim());
    seen.set(current.name, list);
    current = undefined;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (current !== undefined) current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (isToken(name)) current = { name: canonicalName(name), value: line.slice(colon + 1) };
  }
  flush();

  const vias: string[] = [];
  try {
    for (const v of seen.get('Via') ?? []) {
      for (const el of splitList(v, 'Via')) {
        parseVia(el);
        vias.push(el);
      }
    }
  } catch (e) {
    if (e instanceof SipParseError) return undefined;
    throw e;
  }
  const cseq = single(seen, 'CSeq', parseCSeq);
  if (vias.length === 0 || cseq === undefined) return undefined;
  return {
    method, vias, cseq,
    from: single(seen, 'From', (v) => parseNameAddr(v, 'From')),
    to: single(seen, 'To', (v) => parseNameAddr(v, 'To')),
    callId: single(seen, 'Call-ID', checkCallId),
  };
}

/** The one value of a header, if it appears exactly once and `check` accepts it. */
function single(seen: ReadonlyMap<string, readonly string[]>, name: string, check: (v: string) => unknown): string | undefined {
  const values = seen.get(name);
  if (values === undefined || values.length !== 1) return undefined;
  try {
    check(values[0]!);
    return values[0];
  } catch (e) {
    if (e instanceof SipParseError) return undefined;
    throw e;
  }
}

/**
 * The rejection of a salvaged request (§8.2.6): its Vias (the top one rewritten by `topVia`,
 * e.g. to stamp received/rport), From, To with `toTag` added, Call-ID and CSeq as far as they
 * were recovered, and `Warning: 399 callsim "<warning>"` (§20.43) saying what is wrong.
 */
export function rejection(request: SalvagedRequest, status: number, reason: string, warning: string, toTag: string, topVia: (via: string) => string = (v) => v): SipResponse {
  const headers: SipHeader[] = request.vias.map((value, i) => ({ name: 'Via', value: i === 0 ? topVia(value) : value }));
  if (request.from !== undefined) headers.push({ name: 'From', value: request.from });
  if (request.to !== undefined) headers.push({ name: 'To', value: /;\s*tag\s*=/i.test(request.to) ? request.to : `${request.to};tag=${toTag}` });
  if (request.callId !== undefined) headers.push({ name: 'Call-ID', value: request.callId });
  headers.push({ name: 'CSeq', value: request.cseq });
  headers.push({ name: 'Warning', value: `399 callsim ${quoted(warning)}` });
  return { kind: 'response', status, reason: printable(reason, 120), headers, body: '' };
}

/** `Bad Request (CSeq: bad sequence number)`: RFC 3261 §21.4.1 asks the phrase to name the problem. */
export function badRequestReason(error: SipParseError): string {
  const what = error.header !== undefined && !error.what.includes(error.header) ? `${error.header}: ${error.what}` : error.what;
  return `Bad Request (${printable(what, 100)})`;
}

function quoted(text: string): string {
  return `"${printable(text, 240).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** One line of printable text, at most `max` characters. */
function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
