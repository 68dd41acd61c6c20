import test from 'ava';
import { badRequestReason, rejection, salvageRequest } from './bad-request.js';
import { parse, serialize } from './codec.js';
import { SipParseError } from './errors.js';
import { header, headerValues, to, topVia } from './headers.js';
import type { SipMessage, SipResponse } from './message.js';
import { formatAddress, parseAddress, unmapIp } from './transport-address.js';
import { InboundProcessor, stampVia, type TransportProblem } from './transport-inbound.js';

const lines = (...l: string[]): string => `${l.join('\r\n')}\r\n`;

const good = lines(
  'OPTIONS sip:12333@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport',
  'Via: SIP/2.0/UDP proxy.example:5060;branch=z9hG4bK-p',
  'From: <sip:alice@example.com>;tag=a1',
  'To: <sip:12333@127.0.0.1>',
  'Call-ID: c1@example.com',
  'CSeq: 7 OPTIONS',
  'Max-Forwards: 70',
  'Content-Length: 0',
  '',
);

test('stampVia: rport requested -> received and rport filled in, other params kept', (t) => {
  t.is(stampVia('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport', '192.0.2.7', 40000),
    'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;received=192.0.2.7;rport=40000');
  // RFC 3581 §4: received even when the host is the source IP
  t.is(stampVia('SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK-1', '192.0.2.7', 5060),
    'SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-1;received=192.0.2.7;rport=5060');
});

test('stampVia: received only when the sent-by host differs (RFC 3261 §18.2.1)', (t) => {
  const same = 'SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bK-1';
  t.is(stampVia(same, '192.0.2.7', 5070), same);
  t.is(stampVia('SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK-2', '127.0.0.1', 51234),
    'SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK-2;received=127.0.0.1');
  // an IPv6 source goes in brackets, which the codec reads back
  const v6 = stampVia('SIP/2.0/UDP [::1]:5060;branch=z9hG4bK-3;rport', '::1', 5099);
  t.is(v6, 'SIP/2.0/UDP [::1]:5060;branch=z9hG4bK-3;received=[::1];rport=5099');
  const parsed = topVia(parse(lines('OPTIONS sip:x@y SIP/2.0', `Via: ${v6}`, '')))!;
  t.is(parsed.received, '[::1]');
  t.is(parsed.rport, 5099);
  // a quoted parameter holding ';' is left whole
  t.is(stampVia('SIP/2.0/UDP h.example;x="a;b";branch=z9hG4bK-4', '10.1.1.1', 1),
    'SIP/2.0/UDP h.example;x="a;b";branch=z9hG4bK-4;received=10.1.1.1');
});

test('salvageRequest reads what a 400 needs from a request the codec refused', (t) => {
  const bad = good.replace('Max-Forwards: 70', 'Max-Forwards: seventy');
  t.throws(() => parse(bad), { instanceOf: SipParseError });
  const s = salvageRequest(Buffer.from(bad))!;
  t.is(s.method, 'OPTIONS');
  t.deepEqual(s.vias, ['SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport', 'SIP/2.0/UDP proxy.example:5060;branch=z9hG4bK-p']);
  t.is(s.cseq, '7 OPTIONS');
  t.is(s.callId, 'c1@example.com');
  t.is(s.to, '<sip:12333@127.0.0.1>');
});

test('salvageRequest gives up on responses, ACKs, garbage and requests without a usable Via or CSeq', (t) => {
  t.is(salvageRequest('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK-1\r\nCSeq: 1 OPTIONS\r\n\r\n'), undefined);
  t.is(salvageRequest(good.replace(/OPTIONS/g, 'ACK')), undefined);
  t.is(salvageRequest(Buffer.from([0, 1, 2, 3, 255, 254])), undefined);
  t.is(salvageRequest(good.replace('CSeq: 7 OPTIONS', 'CSeq: seven')), undefined);
  t.is(salvageRequest(good.replace(/Via: .*\r\n/g, '')), undefined);
  t.is(salvageRequest(good.replace('Via: SIP/2.0/UDP 10.0.0.1:5060', 'Via: SIP/9.9/UDP 10.0.0.1:5060')), undefined);
});

test('rejection: Vias, From, To with a tag, Call-ID, CSeq and a Warning naming the problem', (t) => {
  const e = new SipParseError('bad sequence number', { expected: '1*10DIGIT', found: 'seven', header: 'CSeq', line: 7, column: 1 });
  const s = salvageRequest(good)!;
  const r = rejection(s, 400, badRequestReason(e), e.message, 'x1', (v) => stampVia(v, '192.0.2.9', 5999));
  const m = parse(serialize(r)) as SipResponse;
  t.is(m.status, 400);
  t.is(m.reason, 'Bad Request (CSeq: bad sequence number)');
  t.is(headerValues(m, 'Via')[0], 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;received=192.0.2.9;rport=5999');
  t.is(headerValues(m, 'Via')[1], 'SIP/2.0/UDP proxy.example:5060;branch=z9hG4bK-p');
  t.is(to(m)!.tag, 'x1');
  t.is(header(m, 'Call-ID'), 'c1@example.com');
  t.is(header(m, 'CSeq'), '7 OPTIONS');
  t.regex(header(m, 'Warning')!, /^399 callsim "CSeq: bad sequence number \(expected 1\*10DIGIT, found \\"seven\\"\) at line 7, column 1"$/);
});

test('addresses: format, parse, unmap', (t) => {
  t.is(formatAddress('127.0.0.1', 5060), '127.0.0.1:5060');
  t.is(formatAddress('::1', 5060), '[::1]:5060');
  t.deepEqual(parseAddress('[::1]:5070'), { host: '::1', port: 5070 });
  t.deepEqual(parseAddress('10.0.0.1:5070'), { host: '10.0.0.1', port: 5070 });
  t.deepEqual(parseAddress('sip.example'), { host: 'sip.example', port: 5060 });
  for (const bad of ['', ':5060', '10.0.0.1:0', '10.0.0.1:70000', '10.0.0.1:x', '::1', '[::1', '[::1]5060']) t.is(parseAddress(bad), undefined, bad);
  t.is(unmapIp('::ffff:10.1.2.3'), '10.1.2.3');
  t.is(unmapIp('::1'), '::1');
});

interface Harness {
  inbound: InboundProcessor;
  delivered: [SipMessage, string][];
  replies: [SipResponse, string][];
  problems: TransportProblem[];
}

function harness(maxMessageSize = 2000): Harness {
  const h: Harness = { delivered: [], replies: [], problems: [], inbound: undefined as unknown as InboundProcessor };
  h.inbound = new InboundProcessor({
    maxMessageSize,
    onMessage: (m, from) => h.delivered.push([m, from]),
    onProblem: (p) => h.problems.push(p),
    reply: (r, to) => h.replies.push([r, to]),
    tagPrefix: 't',
  });
  return h;
}

const peer = { address: '192.0.2.9:5999', ip: '192.0.2.9', port: 5999 };

test('inbound: a good request is delivered with its top Via stamped', (t) => {
  const h = harness();
  h.inbound.receive(Buffer.from(good), peer);
  t.is(h.delivered.length, 1);
  const [m, from] = h.delivered[0]!;
  t.is(from, '192.0.2.9:5999');
  t.is(headerValues(m, 'Via')[0], 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;received=192.0.2.9;rport=5999');
  t.is(headerValues(m, 'Via')[1], 'SIP/2.0/UDP proxy.example:5060;branch=z9hG4bK-p', 'only the top Via');
});

test('inbound: keep-alives, missing headers, CSeq mismatch, garbage and oversize are counted, answered or dropped', (t) => {
  const h = harness(1000);
  h.inbound.receive(Buffer.from('\r\n\r\n'), peer);
  h.inbound.receive(Buffer.alloc(0), peer);
  h.inbound.receive(Buffer.from(good.replace(/Call-ID: .*\r\n/, '')), peer); // 400, no Call-ID echoed
  h.inbound.receive(Buffer.from(good.replace('CSeq: 7 OPTIONS', 'CSeq: 7 INVITE')), peer); // 400
  h.inbound.receive(Buffer.from('hello world'), peer); // dropped
  h.inbound.receive(Buffer.from(good.replace('Content-Length: 0', `Content-Length: 1200\r\nContent-Type: text/plain`) + 'x'.repeat(1200)), peer); // 513
  const s = h.inbound.stats;
  t.like(s, { received: 6, keepAlives: 2, malformed: 3, oversize: 1, answered400: 2, answered513: 1, dropped: 1, delivered: 0 });
  t.is(s.received, s.delivered + s.keepAlives + s.malformed + s.oversize);
  t.is(s.malformed + s.oversize, s.answered400 + s.answered513 + s.dropped);
  t.deepEqual(h.replies.map(([r, to2]) => `${r.status} ${to2}`), ['400 192.0.2.9:5999', '400 192.0.2.9:5999', '513 192.0.2.9:5999']);
  t.regex(h.replies[0]![0].reason, /missing Call-ID header/);
  t.is(header(h.replies[0]![0], 'Call-ID'), undefined);
  t.regex(h.replies[1]![0].reason, /CSeq method INVITE does not match/);
  t.deepEqual(h.problems.map((p) => `${p.kind}:${String(p.action)}`), ['malformed:400', 'malformed:400', 'malformed:dropped', 'oversize:513']);
});

test('inbound: a throwing receive callback is reported and the next message still goes through', (t) => {
  const problems: TransportProblem[] = [];
  let calls = 0;
  const inbound = new InboundProcessor({
    maxMessageSize: 2000,
    onMessage: () => { calls++; if (calls === 1) throw new Error('layer above broke'); },
    onProblem: (p) => problems.push(p),
    reply: () => {},
    tagPrefix: 't',
  });
  inbound.receive(Buffer.from(good), peer);
  inbound.receive(Buffer.from(good), peer);
  t.is(calls, 2);
  t.is(inbound.stats.handlerErrors, 1);
  t.is(problems[0]?.kind, 'handler-error');
});
