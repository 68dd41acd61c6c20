import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import { parse, parseFull, serialize } from './codec.js';
import { CALL_MESSAGES, CALL_SEQUENCE } from './call-messages.js';
import { invite } from './fixtures.js';
import { parseFast } from './parse-fast.js';

// The fast path must never change what parse returns or throws: on whatever it accepts it
// gives the full parser's message, and everything else goes to the full parser. These
// properties generate header values around the edges of each grammar (duplicate and
// case-folded parameters, rport values, ports, quoted and token display names, odd URIs,
// sequence numbers near 2**31, Unicode spaces, control characters) and mutate real messages.

type Outcome = { ok: true; message: unknown } | { ok: false; error: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { ok: true, message: f() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** parse and parseFull agree (same message, or the same error) on text and on its bytes. */
function agrees(text: string): boolean {
  for (const input of [text, Buffer.from(text, 'latin1'), Buffer.from(text, 'utf8')]) {
    for (const options of [{}, { transport: 'stream' as const }, { maxSize: 300 }]) {
      const a = outcome(() => parse(input, options));
      const b = outcome(() => parseFull(input, options));
      if (!isDeepStrictEqual(a, b)) return false;
    }
  }
  return true;
}

let fastAccepted = 0;
let tried = 0;

/** The fast path on its own: undefined, or exactly the full parser's message. */
function fastIsSound(text: string): boolean {
  tried++;
  const fast = parseFast(text, 65536, false, false);
  if (fast === undefined) return true;
  fastAccepted++;
  const full = outcome(() => parseFull(text));
  return full.ok && isDeepStrictEqual(fast, full.message);
}

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** Mostly the usual forms, sometimes the edge cases: so that whole messages are often valid. */
const mostly = <T>(usual: T[], edges: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 6 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
const ws = mostly([''], [' ', '\t', '  ']);
const tokenValue = mostly(['z9hG4bK1', '5060', 'abc', '0123', '1.2.3.4'], ['65535', '65536', '', '"q"', '"a;b"', '[::1]', 'x,y', 'é', '123456']);
const param = (names: string[]) => fc.tuple(ws, ws, pick(...names), fc.option(fc.tuple(ws, ws, tokenValue), { nil: undefined }))
  .map(([a, b, n, v]) => `${a};${b}${n}${v === undefined ? '' : `${v[0]}=${v[1]}${v[2]}`}`);
const params = (names: string[]) => fc.array(param(names), { maxLength: 3 }).map((ps) => ps.join(''));

const via = fc.tuple(
  mostly(['SIP/2.0/'], ['sip/2.0/', 'SIP / 2.0 / ', 'SIP/2.1/', 'HTTP/1.1/']), mostly(['UDP', 'tcp', 'WS'], ['', 'U:P']), mostly([' '], ['\t', '', '  ']),
  mostly(['10.20.0.17', 'host.example', 'a-b.c'], ['[2001:db8::1]', 'bad_host', '']), mostly(['', ':5060', ':65535', ':0', ':05060'], [' : 5060', ':65536', ':123456', ':']),
  params(['branch', 'rport', 'RPORT', 'received', 'Branch', 'x', 'rportx']), ws,
).map((p) => p.join(''));

const uri = mostly(['sip:a@b', 'sips:x@y.example:5060;transport=tcp', 'tel:+8613904310001', 'x-y+z.1:foo', 'sip:é@b', 'sip:a@b?h=v'],
  ['sip:a,b@c', 'nouri', 'sip:', '1sip:a', 'sip:a b', 'sip:a"b', 'sip:a>b', '*']);
const display = mostly(['', '"Alice" ', 'Alice ', '"x,y" ', '" " '], ['"A\\"b" ', 'Al ice\t', '"open ', '"tab\there" ', 'al@ice ', '"a>b" ', '"\x01" ']);
const nameAddr = fc.tuple(display, uri, fc.boolean(), params(['tag', 'TAG', 'q', 'expires', 'lr']), ws)
  .map(([d, u, angle, p, w]) => (angle || d !== '' ? `${d}<${u}>${p}${w}` : `${u}${p}${w}`));
const cseq = fc.tuple(mostly(['0', '1', '314159', '2147483647', '01'], ['2147483648', '99999999999', '', 'x']), mostly([' '], ['\t', '', '  ']), mostly(['INVITE', 'ack'], ['B@D', '', 'INFO x']))
  .map(([n, w, m]) => `${n}${w}${m}`);
const callId = fc.oneof(
  { arbitrary: fc.string({ unit: pick(...'ab9-.!%*_+`\'~()<>:\\"/[]?{}'), minLength: 1, maxLength: 12 }), weight: 4 },
  { arbitrary: fc.string({ unit: pick(...'ab9-.!%*_+`\'~()<>:\\"/[]?{}@ ;,é'), minLength: 0, maxLength: 12 }), weight: 1 },
);
const mediaType = fc.tuple(mostly(['application', 'text'], ['', 'a b']), ws, mostly(['/'], ['']), ws, mostly(['sdp', 'dtmf-relay', 'plain'], ['']), params(['charset', 'CHARSET', 'boundary']))
  .map((p) => p.join(''));
const digits = mostly(['0', '70', '255', '007'], ['256', '1000', '', 'x', ' 1', '99999999999']);
const plain = fc.string({ unit: mostly(['a', 'Z', ' ', ',', ';', '/'], ['\t', '"', '<', '>', 'é', '\u00a0', '\u3000', '\x01', '\x7f', '\n', '\r']), maxLength: 10 });

const headerLine: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(mostly(['Via', 'v'], ['VIA', 'Via ']), via).map(([n, v]) => `${n}: ${v}`),
  fc.tuple(mostly(['From', 'f', 'To', 't', 'Contact', 'm', 'Route', 'Record-Route'], ['from', 'TO ']), nameAddr).map(([n, v]) => `${n}: ${v}`),
  fc.tuple(pick('Contact', 'Route'), nameAddr, nameAddr).map(([n, a, b]) => `${n}: ${a},${b}`),
  fc.tuple(mostly(['CSeq'], ['cseq']), cseq).map(([n, v]) => `${n}: ${v}`),
  fc.tuple(mostly(['Call-ID', 'i'], ['call-id']), callId).map(([n, v]) => `${n}:${v}`),
  fc.tuple(mostly(['Content-Type', 'c'], ['content-TYPE']), mediaType).map(([n, v]) => `${n}: ${v}`),
  fc.tuple(pick('Max-Forwards', 'Content-Length', 'l', 'Expires'), digits).map(([n, v]) => `${n}: ${v}`),
  fc.tuple(mostly(['User-Agent', 'Subject', 'X-Queue', 'Allow', 'Supported', 'k', 'x-thing'], ['Bad Name', '']), plain).map(([n, v]) => `${n}:${v}`),
  pick(' folded continuation', '\tfolded', 'NoColon'),
);

const startLine = mostly(
  ['INVITE sip:12333@ivr.example SIP/2.0', 'INFO sip:12333@10.20.0.1:5060;transport=udp SIP/2.0', 'ACK tel:+86123 SIP/2.0', 'SIP/2.0 200 OK', 'SIP/2.0 180 Ringing',
    'SIP/2.0 100 ', 'SIP/2.0 486 Busy Here é'],
  ['BYE sip:a,b@c SIP/2.0', 'INVITE  sip:a@b SIP/2.0', 'INVITE sip:a@b sip/2.0', 'INVITE sip:a@b SIP/2.0 ', 'IN@VITE sip:a@b SIP/2.0', 'SIP/2.0 200',
    'SIP/2.0 099 Low', 'SIP/2.0 700 High', 'sip/2.0 200 OK', 'SIP/2.0 200 Ok\x01'],
);
const body = pick('', 'Signal=1\r\nDuration=160\r\n', 'héllo', 'v=0\r\n', 'x');

const message = fc.tuple(startLine, fc.array(headerLine, { maxLength: 6 }), body, mostly(['exact', 'none'], ['short', 'long']), mostly(['\r\n'], ['\n', '\r\n\r\n']))
  .map(([start, lines, b, length, lead]) => {
    const cl = length === 'none' ? [] : [`Content-Length: ${Buffer.byteLength(b) + (length === 'short' ? 1 : length === 'long' ? -1 : 0)}`];
    const text = `${[start, ...lines, ...cl].join('\r\n')}\r\n\r\n${b}`;
    return lead === '\r\n' ? text : lead === '\n' ? text.replace('\r\n', '\n') : `\r\n${text}`;
  });

test('the fast path takes every message of a call and the INVITE fixture, and gives the full parser\'s message', (t) => {
  for (const text of [...CALL_SEQUENCE, invite]) {
    const fast = parseFast(text, 65536, false, false);
    t.not(fast, undefined);
    t.deepEqual(fast, parseFull(text));
    t.deepEqual(parseFast(Buffer.from(text).toString('latin1'), 65536, true, true), fast);
  }
  for (const m of CALL_MESSAGES) t.is(serialize(parse(m.text)), m.text, m.label);
});

test('generated messages: parse and the full parser agree, and the fast path is sound', (t) => {
  fastAccepted = 0;
  tried = 0;
  t.notThrows(() => fc.assert(fc.property(message, (text) => fastIsSound(text) && agrees(text)), { numRuns: 1500 }));
  // the generator must exercise the fast path, or this test would prove nothing about it
  t.log(`fast path accepted ${fastAccepted} of ${tried}`);
  t.true(fastAccepted > tried / 20, `fast path accepted ${fastAccepted} of ${tried}`);
});

const interesting = pick(' ', '\t', ';', ',', '"', '<', '>', ':', '=', '@', '\\', '\r\n', '\n', '\r', '\x00', 'é', '\u00a0', 'rport=', ';tag=x', ';branch=y', '9');
const mutation = fc.oneof(
  fc.record({ at: fc.nat(), insert: interesting }),
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ at: fc.nat(), upper: fc.constant(true) }),
);

test('mutated messages of a call: parse and the full parser agree, and the fast path is sound', (t) => {
  t.notThrows(() => fc.assert(fc.property(pick(...CALL_SEQUENCE, invite), fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, ms) => {
    let s = text;
    for (const m of ms) {
      const at = m.at % (s.length + 1);
      if ('insert' in m) s = s.slice(0, at) + m.insert + s.slice(at);
      else if ('remove' in m) s = s.slice(0, at) + s.slice(at + m.remove);
      else s = s.slice(0, at) + s.slice(at, at + 6).toUpperCase() + s.slice(at + 6);
    }
    return fastIsSound(s) && agrees(s);
  }), { numRuns: 2000 }));
});
