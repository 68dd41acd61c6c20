import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import { Parser } from 'sip.js/lib/core/messages/parser.js';
import type { Logger } from 'sip.js/lib/core/log/logger.js';
import { parse, serialize } from './codec.js';
import { SipParseError } from './errors.js';
import { callId, contentLength, cseq, from, to, topVia } from './headers.js';
import type { SipHeader, SipMessage } from './message.js';
import { invite } from './fixtures.js';

// sip.js reports problems through its logger and returns undefined; we only need it silent.
const quiet = { warn() {}, error() {}, log() {}, debug() {} } as unknown as Logger;

const alnum = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 12 });
const lower = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 10 });
const host = fc.oneof(
  fc.array(lower, { minLength: 1, maxLength: 3 }).map((ls) => `${ls.join('.')}.example`),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((q) => q.join('.')),
);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const sipUri = fc.record({ user: alnum, host, port, transport: fc.option(fc.constantFrom('udp', 'tcp', 'ws'), { nil: undefined }) })
  .map((u) => `sip:${u.user}@${u.host}${u.port === undefined ? '' : `:${u.port}`}${u.transport === undefined ? '' : `;transport=${u.transport}`}`);
/**
 * sip.js 0.21's grammar fails (it throws a TypeError) on an extension method that begins with
 * one of its own core methods, such as `BYEA` or `INVITEX`: a sip.js bug, so the differential
 * test leaves such methods out (about one run in twenty drew one).
 */
const SIPJS_CORE_METHODS = ['INVITE', 'ACK', 'OPTIONS', 'BYE', 'CANCEL', 'REGISTER', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'PUBLISH'];
const method = fc.oneof(
  fc.constantFrom('INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'UPDATE', 'PRACK'),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 10 })
    .filter((m) => !SIPJS_CORE_METHODS.some((core) => m.length > core.length && m.startsWith(core))),
);
/** Display names with commas, spaces and escaped quotes: what breaks a naive comma splitter. */
const display = fc.option(
  fc.string({ unit: fc.constantFrom(...'ab c,D;"\\<>@:'), maxLength: 12 }).map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}" `),
  { nil: undefined },
);
const nameAddr = (tag: string | undefined) => fc.tuple(display, sipUri, fc.boolean()).map(([d, u, angle]) => {
  const tagP = tag === undefined ? '' : `;tag=${tag}`;
  return d !== undefined || angle || u.includes(';') ? `${d ?? ''}<${u}>${tagP}` : `${u}${tagP}`;
});
const via = fc.record({ transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS'), host, port, branch: alnum, rport: fc.boolean() })
  .map((v) => ({ branch: `z9hG4bK${v.branch}`, text: `SIP/2.0/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`};branch=z9hG4bK${v.branch}${v.rport ? ';rport' : ''}` }));
/** How a list of values is written: one header each, all on one line, or one line folded after commas. */
const listStyle = fc.constantFrom('lines', 'commas', 'folded');
const nameOf = (full: string, compact: string | undefined) => fc.constantFrom(full, full.toUpperCase(), full.toLowerCase(), ...(compact === undefined ? [] : [compact]));
const body = fc.string({ unit: fc.constantFrom(...'abc xyz=0123\r\n/:'), maxLength: 200 });

function writeList(name: string, values: string[], style: string): string[] {
  if (style === 'lines' || values.length === 1) return values.map((v) => `${name}: ${v}`);
  return [`${name}: ${values.join(style === 'commas' ? ', ' : ',\r\n  ')}`];
}

interface Generated {
  text: string;
  kind: 'request' | 'response';
  method: string; // of the CSeq
  uri: string;
  status: number;
  reason: string;
  callId: string;
  seq: number;
  fromTag: string;
  toTag: string | undefined;
  branch: string;
  firstViaLineHasOneValue: boolean;
  body: string;
}

const generated: fc.Arbitrary<Generated> = fc.record({
  isRequest: fc.boolean(),
  method, uri: sipUri,
  status: fc.integer({ min: 100, max: 699 }),
  reason: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz '), minLength: 1, maxLength: 20 }).map((s) => s.trim() || 'OK'),
  vias: fc.array(via, { minLength: 1, maxLength: 3 }), viaStyle: listStyle, viaName: nameOf('Via', 'v'),
  fromTag: alnum, toTag: fc.option(alnum, { nil: undefined }),
  fromName: nameOf('From', 'f'), toName: nameOf('To', 't'),
  callId: fc.tuple(alnum, fc.option(host, { nil: undefined })).map(([a, h]) => (h === undefined ? a : `${a}@${h}`)),
  callIdName: nameOf('Call-ID', 'i'), seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  contacts: fc.array(fc.tuple(display, sipUri, fc.option(fc.constantFrom('0.5', '1'), { nil: undefined })), { minLength: 0, maxLength: 3 }),
  contactStyle: listStyle, contactName: nameOf('Contact', 'm'),
  supported: fc.subarray(['timer', '100rel', 'replaces', 'path']), supportedName: nameOf('Supported', 'k'),
  subject: fc.option(fc.string({ unit: fc.constantFrom(...'abc ,;:xyz'), maxLength: 20 }), { nil: undefined }),
  extra: fc.array(fc.tuple(fc.constantFrom('X-Hotline', 'X-Queue', 'User-Agent'), alnum), { maxLength: 3 }),
  body, withLength: fc.boolean(), lengthName: nameOf('Content-Length', 'l'),
}).chain((g) => fc.tuple(nameAddr(g.fromTag), nameAddr(g.toTag)).map(([fromV, toV]) => {
  const cseqMethod = g.isRequest ? g.method : g.method === 'ACK' ? 'INVITE' : g.method;
  const lines: string[] = [g.isRequest ? `${g.method} ${g.uri} SIP/2.0` : `SIP/2.0 ${g.status} ${g.reason}`];
  lines.push(...writeList(g.viaName, g.vias.map((v) => v.text), g.viaStyle));
  lines.push(`${g.fromName}: ${fromV}`, `${g.toName}:${toV}`, `${g.callIdName}: ${g.callId}`, `CSeq: ${g.seq} ${cseqMethod}`, 'Max-Forwards: 70');
  if (g.contacts.length > 0) {
    lines.push(...writeList(g.contactName, g.contacts.map(([d, u, q]) => `${d ?? ''}<${u}>${q === undefined ? '' : `;q=${q}`}`), g.contactStyle));
  }
  if (g.supported.length > 0) lines.push(`${g.supportedName}: ${g.supported.join(', ')}`);
  if (g.subject !== undefined) lines.push(`Subject: ${g.subject}`);
  for (const [n, v] of g.extra) lines.push(`${n}: ${v}`);
  if (g.body.length > 0) lines.push('Content-Type: text/plain');
  if (g.withLength) lines.push(`${g.lengthName}: ${g.body.length}`);
  return {
    text: `${lines.join('\r\n')}\r\n\r\n${g.body}`,
    kind: g.isRequest ? 'request' as const : 'response' as const,
    method: cseqMethod, uri: g.uri, status: g.status, reason: g.reason,
    callId: g.callId, seq: g.seq, fromTag: g.fromTag, toTag: g.toTag,
    branch: g.vias[0]!.branch,
    firstViaLineHasOneValue: g.viaStyle === 'lines' || g.vias.length === 1,
    body: g.body,
  };
}));

test('agrees with sip.js on start line, Call-ID, CSeq, tags, top branch, Content-Length and body', (t) => {
  t.notThrows(() => fc.assert(fc.property(generated, (g) => {
    const ours = parse(g.text);
    const theirs = Parser.parseMessage(g.text, quiet);
    if (theirs === undefined) throw new Error('sip.js rejected the message');
    if (ours.kind === 'request') {
      if (g.kind !== 'request' || !('ruri' in theirs) || theirs.ruri === undefined) return false;
      if (ours.method !== theirs.method || ours.uri !== theirs.ruri.toString() || ours.uri !== g.uri) return false;
    } else {
      if (g.kind !== 'response' || !('statusCode' in theirs)) return false;
      if (ours.status !== theirs.statusCode || ours.reason !== theirs.reasonPhrase) return false;
    }
    const c = cseq(ours)!;
    if (c.seq !== theirs.cseq || c.seq !== g.seq || c.method !== g.method) return false;
    if (ours.kind === 'response' && c.method !== theirs.method) return false;
    if (callId(ours) !== theirs.callId || callId(ours) !== g.callId) return false;
    if (from(ours)!.tag !== theirs.fromTag || from(ours)!.tag !== g.fromTag) return false;
    if (to(ours)!.tag !== theirs.toTag || to(ours)!.tag !== g.toTag) return false;
    // sip.js reports the branch of the *last* value of a comma-joined first Via line (a sip.js
    // quirk); ours must give the first, so compare with sip.js only where they must agree.
    if (topVia(ours)!.branch !== g.branch) return false;
    if (g.firstViaLineHasOneValue && topVia(ours)!.branch !== theirs.viaBranch) return false;
    const theirLength = theirs.hasHeader('content-length') ? Number(theirs.getHeader('content-length')) : theirs.body.length;
    if (contentLength(ours) !== theirLength) return false;
    return ours.body === theirs.body && ours.body === g.body;
  }), { numRuns: 1000 }));
});

test('round trip: parse(serialize(parse(text))) equals parse(text)', (t) => {
  t.notThrows(() => fc.assert(fc.property(generated, (g) => {
    const m = parse(g.text);
    return isDeepStrictEqual(parse(serialize(m)), m);
  }), { numRuns: 300 }));
});

const headerValue = fc.string({ unit: fc.constantFrom(...'abc XYZ019;=:@<>"\\/é热'), maxLength: 30 }).map((s) => s.trim());
const structured: fc.Arbitrary<SipMessage> = fc.record({
  req: fc.boolean(), method, uri: sipUri, status: fc.integer({ min: 100, max: 699 }),
  reason: fc.string({ maxLength: 20 }).map((s) => s.replace(/[\x00-\x1f\x7f]/g, '')),
  headers: fc.array(fc.record({ name: fc.constantFrom('X-Note', 'Subject', 'Organization', 'X-Caller-Language'), value: headerValue }), { maxLength: 6 }),
  body: fc.string({ unit: 'grapheme', maxLength: 100 }),
}).map((r): SipMessage => {
  const headers: SipHeader[] = r.headers.map((h) => ({ name: h.name, value: h.value })); // plain objects, not fc's null-prototype records
  return r.req
    ? { kind: 'request', method: r.method, uri: r.uri, headers, body: r.body }
    : { kind: 'response', status: r.status, reason: r.reason, headers, body: r.body };
});

test('round trip: parse(serialize(m)) equals m, for text and bytes', (t) => {
  t.notThrows(() => fc.assert(fc.property(structured, (m) => {
    return isDeepStrictEqual(parse(serialize(m)), m)
      && isDeepStrictEqual(parse(Buffer.from(serialize(m)), { transport: 'stream' }), m);
  }), { numRuns: 500 }));
});

function onlyParseErrors(input: string | Uint8Array): boolean {
  try {
    parse(input);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    // parse() turns its own bugs into SipParseError as a last resort; that net must stay unused
    if (e.message.startsWith('internal parser error')) throw e;
  }
  return true;
}

test('fuzz: random text and bytes raise nothing but SipParseError', (t) => {
  t.notThrows(() => fc.assert(fc.property(
    fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: fc.constantFrom('\r', '\n', ' ', ':', ',', ';', '"', '<', '>', 'a', 'SIP/2.0 ', 'INVITE ', 'l: 3', 'v:'), maxLength: 80 }).map((s) => s.replaceAll('\\n', '\n'))),
    (s) => onlyParseErrors(s),
  ), { numRuns: 2000 }));
  t.notThrows(() => fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyParseErrors(b)), { numRuns: 1000 }));
});

type Mutation = { at: number; op: 'flip'; bit: number } | { at: number; op: 'truncate' } | { at: number; op: 'insert'; bytes: Uint8Array } | { at: number; op: 'delete'; n: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ at: fc.nat(), op: fc.constant('flip' as const), bit: fc.nat(7) }),
  fc.record({ at: fc.nat(), op: fc.constant('truncate' as const) }),
  fc.record({ at: fc.nat(), op: fc.constant('insert' as const), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.constantFrom(...['\r\n', ',', '"', '<', ' ', '\r\n ', ':', ';'].map((s) => Buffer.from(s)))) }),
  fc.record({ at: fc.nat(), op: fc.constant('delete' as const), n: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(src: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(src);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.op === 'flip') { if (at < b.length) b[at] = b[at]! ^ (1 << m.bit); }
    else if (m.op === 'truncate') b = b.subarray(0, at);
    else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    else b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.n)]);
  }
  return b;
}

test('fuzz: mutated valid messages (byte flips, truncations, insertions) raise nothing but SipParseError', (t) => {
  const seeds = fc.oneof(fc.constant(invite), generated.map((g) => g.text));
  t.notThrows(() => fc.assert(fc.property(seeds, fc.array(mutation, { minLength: 1, maxLength: 5 }), (text, ms) => {
    const b = mutate(Buffer.from(text), ms);
    return onlyParseErrors(b) && onlyParseErrors(b.toString('latin1')) && onlyParseErrors(b.toString('utf8'));
  }), { numRuns: 3000 }));
});
