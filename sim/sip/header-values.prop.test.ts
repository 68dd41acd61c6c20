import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import {
  checkCallId, fullScanners, parseContentLength, parseCSeq, parseMaxForwards, parseMediaType, parseNameAddr, parseVia,
} from './header-values.js';
import { parse } from './codec.js';
import { contactUri, fromTag, topVia, topViaKey, toTag } from './headers.js';

// The accessors' shortcut (common-form values built by header-simple.ts) must give exactly
// what the full scanners give, and must leave every other value, the malformed ones included,
// to them: same structured value, or the same SipParseError. Values come with the edges of
// each grammar, and with LWS around them, which only some full scanners accept.

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const mostly = <T>(usual: T[], edges: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 5 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
const ws = mostly([''], [' ', '\t', ' \t ']);
const around = (a: fc.Arbitrary<string>) => fc.tuple(mostly([''], [' ', '\t']), a, mostly([''], [' ', '\t', '\r', '\n'])).map(([x, v, y]) => `${x}${v}${y}`);
const tokenValue = mostly(['z9hG4bK.1a2b', '5060', 'udp', '0123', '10.20.0.17'], ['65535', '65536', '', '"q"', '"a\\"b"', '[::1]', 'x,y', 'é', '123456']);
const param = (names: string[]) => fc.tuple(ws, ws, pick(...names), fc.option(fc.tuple(ws, ws, tokenValue), { nil: undefined }))
  .map(([a, b, n, v]) => `${a};${b}${n}${v === undefined ? '' : `${v[0]}=${v[1]}${v[2]}`}`);
const params = (names: string[]) => fc.array(param(names), { maxLength: 4 }).map((ps) => ps.join(''));

const via = around(fc.tuple(
  mostly(['SIP/2.0/', 'sip/2.0/'], ['SIP / 2.0 / ', 'SIP/2.1/']), mostly(['UDP', 'tcp', 'WS'], ['', 'U:P']), mostly([' '], ['\t', '', '  ']),
  mostly(['10.20.0.17', 'host.example', 'a-b.c'], ['[2001:db8::1]', 'bad_host', '']), mostly(['', ':5060', ':65535', ':0', ':05060', ' : 5060'], [':65536', ':123456', ':']),
  params(['branch', 'rport', 'RPORT', 'received', 'Branch', 'x', 'rportx']),
).map((p) => p.join('')));
const uri = mostly(['sip:a@b', 'sips:x@y.example:5060;transport=tcp', 'tel:+8613904310001', 'x-y+z.1:foo', 'sip:é@b'], ['sip:a,b@c', 'nouri', 'sip:', '1sip:a', 'sip:a b', 'sip:a"b', '*']);
const display = mostly(['', '"Alice" ', 'Alice ', 'Al  ice\t', '"x,y" ', '" " ', '""'], ['"A\\"b" ', '"open ', 'al@ice ', '"a>b" ', ' ']);
const nameAddr = around(fc.tuple(display, uri, fc.boolean(), params(['tag', 'TAG', 'q', 'expires', 'lr']))
  .map(([d, u, angle, p]) => (angle || d !== '' ? `${d}<${u}>${p}` : `${u}${p}`)));
const star = pick('*', '* ', ' *', '*;q=1');
const cseq = around(fc.tuple(mostly(['0', '1', '314159', '2147483647', '01'], ['2147483648', '99999999999', '', 'x']), mostly([' '], ['\t', '', '  ']), mostly(['INVITE', 'ack'], ['B@D', '', 'INFO x']))
  .map(([n, w, m]) => `${n}${w}${m}`));
const callId = around(fc.string({ unit: mostly([...'ab9-.!%*_+`\'~()<>:\\"/[]?{}'], [...'@ ;,é']), minLength: 0, maxLength: 12 }));
const mediaType = around(fc.tuple(mostly(['application', 'TEXT'], ['', 'a b']), ws, mostly(['/'], ['']), ws, mostly(['sdp', 'dtmf-relay', 'Plain'], ['']), params(['charset', 'CHARSET', 'boundary']))
  .map((p) => p.join('')));
const digits = around(mostly(['0', '70', '255', '007', '12345'], ['256', '1000', '', 'x', '99999999999']));

test('Via, name-addr, CSeq, Call-ID, Max-Forwards, Content-Length, Content-Type: the shortcut agrees with the full scanners', (t) => {
  const same = (a: () => unknown, b: () => unknown): boolean => isDeepStrictEqual(outcome(a), outcome(b));
  const f = fullScanners;
  t.notThrows(() => fc.assert(fc.property(via, (v) => same(() => parseVia(v), () => f.parseVia(v))), { numRuns: 1500 }));
  t.notThrows(() => fc.assert(fc.property(fc.oneof(nameAddr, star), fc.boolean(), pick('From', 'Contact'), (v, allowStar, header) =>
    same(() => parseNameAddr(v, header, allowStar), () => f.parseNameAddr(v, header, allowStar))), { numRuns: 1500 }));
  t.notThrows(() => fc.assert(fc.property(cseq, (v) => same(() => parseCSeq(v), () => f.parseCSeq(v))), { numRuns: 500 }));
  t.notThrows(() => fc.assert(fc.property(callId, (v) => same(() => checkCallId(v), () => f.checkCallId(v))), { numRuns: 500 }));
  t.notThrows(() => fc.assert(fc.property(digits, (v) => same(() => parseMaxForwards(v), () => f.parseMaxForwards(v))
    && same(() => parseContentLength(v), () => f.parseContentLength(v))), { numRuns: 300 }));
  t.notThrows(() => fc.assert(fc.property(mediaType, (v) => same(() => parseMediaType(v), () => f.parseMediaType(v))), { numRuns: 800 }));
});

test('the transaction layer\'s Via key (branch, host, port, rport) is the full Via\'s, or the same error', (t) => {
  const key = (f: () => { branch: string | undefined; host: string; port: number | undefined; rport: number | true | undefined } | undefined) => () => {
    const v = f();
    return v === undefined ? undefined : { branch: v.branch, host: v.host, port: v.port, rport: v.rport };
  };
  t.notThrows(() => fc.assert(fc.property(via, fc.boolean(), (v, inMessage) => {
    const w = v.trim();
    // read in place after the parser checked it, or matched afresh in a message built by hand
    if (inMessage) outcome(() => parse(`OPTIONS sip:a@b SIP/2.0\r\nVia: ${v}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`));
    const m = { kind: 'request', method: 'OPTIONS', uri: 'sip:a@b', headers: [{ name: 'Via', value: w }], body: '' } as const;
    return isDeepStrictEqual(outcome(key(() => topViaKey(m))), outcome(key(() => fullScanners.parseVia(w))))
      && isDeepStrictEqual(outcome(key(() => topViaKey(m))), outcome(key(() => topVia(m))));
  }), { numRuns: 1500 }));
});

test('values the fast parser checked in a message are taken by the accessors without a second match, with the same verdict', (t) => {
  // each value goes into a message first, so that the parser's record of what it checked holds
  // it (or the values of the message before, when this one falls to the full parser)
  const same = (a: () => unknown, b: () => unknown): boolean => isDeepStrictEqual(outcome(a), outcome(b));
  const f = fullScanners;
  const message = (h: Record<string, string>): void => {
    const lines = Object.entries(h).map(([n, v]) => `${n}: ${v}`).join('\r\n');
    outcome(() => parse(`OPTIONS sip:a@b SIP/2.0\r\n${lines}\r\nContent-Length: 0\r\n\r\n`));
  };
  const base = { Via: 'SIP/2.0/UDP h;branch=z9hG4bK1', From: '<sip:a@b>;tag=1', To: '<sip:c@d>', 'Call-ID': 'x', CSeq: '1 OPTIONS' };
  t.notThrows(() => fc.assert(fc.property(via, (v) => {
    message({ ...base, Via: v });
    return same(() => parseVia(v.trim()), () => f.parseVia(v.trim()));
  }), { numRuns: 500 }));
  t.notThrows(() => fc.assert(fc.property(nameAddr, pick('From', 'To', 'Contact'), (v, header) => {
    message({ ...base, [header]: v });
    const w = v.trim();
    // the dialog layer's tag accessors read a checked value in place: the same tag, or the same error
    const m = { kind: 'request', method: 'INFO', uri: 'sip:a@b', headers: [{ name: 'From', value: w }, { name: 'To', value: w }, { name: 'Contact', value: w }], body: '' } as const;
    return same(() => parseNameAddr(w, header, header === 'Contact'), () => f.parseNameAddr(w, header, header === 'Contact'))
      && same(() => fromTag(m), () => f.parseNameAddr(w, 'From').tag) && same(() => toTag(m), () => f.parseNameAddr(w, 'To').tag)
      && same(() => contactUri(m), () => f.parseNameAddr(w, 'Contact', true).uri);
  }), { numRuns: 800 }));
  t.notThrows(() => fc.assert(fc.property(cseq, callId, mediaType, (c, i, m) => {
    message({ ...base, CSeq: c, 'Call-ID': i, 'Content-Type': m });
    return same(() => parseCSeq(c.trim()), () => f.parseCSeq(c.trim())) && same(() => checkCallId(i.trim()), () => f.checkCallId(i.trim()))
      && same(() => parseMediaType(m.trim()), () => f.parseMediaType(m.trim()));
  }), { numRuns: 500 }));
});

test('the shortcut builds the common forms of a call\'s headers', (t) => {
  t.deepEqual(parseVia('SIP/2.0/udp 10.20.0.17:5060;branch=z9hG4bK.1a2b;rport=5062;received=10.20.0.17'), {
    protocol: 'SIP/2.0', transport: 'UDP', host: '10.20.0.17', port: 5060, branch: 'z9hG4bK.1a2b', received: '10.20.0.17', rport: 5062,
    params: new Map([['branch', 'z9hG4bK.1a2b'], ['rport', '5062'], ['received', '10.20.0.17']]),
  });
  t.deepEqual(parseNameAddr('"13904310001" <sip:13904310001@callers.callsim.invalid>;TAG=8f2c41d7', 'From'), {
    displayName: '13904310001', uri: 'sip:13904310001@callers.callsim.invalid', tag: '8f2c41d7', params: new Map([['tag', '8f2c41d7']]),
  });
  t.deepEqual(parseNameAddr('Hotline  12333 <sip:12333@ivr>', 'To'), { displayName: 'Hotline 12333', uri: 'sip:12333@ivr', tag: undefined, params: new Map() });
  t.deepEqual(parseCSeq('2 INFO'), { seq: 2, method: 'INFO' });
  t.deepEqual(parseMediaType('Application/DTMF-Relay'), { type: 'application/dtmf-relay', params: new Map() });
});
