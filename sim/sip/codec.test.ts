import test from 'ava';
import { parse, serialize, encode } from './codec.js';
import { SipParseError } from './errors.js';
import { callId, contactUri, contacts, contentLength, contentType, cseq, from, header, headerValues, maxForwards, to, topVia, vias } from './headers.js';
import type { SipMessage } from './message.js';
import { invite, sdp } from './fixtures.js';


function req(m: SipMessage) {
  if (m.kind !== 'request') throw new Error('expected a request');
  return m;
}

function parseError(t: import('ava').ExecutionContext, text: string | Uint8Array, re: RegExp, opts = {}): SipParseError {
  const e = t.throws(() => parse(text, opts), { instanceOf: SipParseError });
  t.regex(e!.message, re);
  return e as SipParseError;
}

test('INVITE with SDP: start line, accessors, body', (t) => {
  const m = req(parse(invite));
  t.is(m.method, 'INVITE');
  t.is(m.uri, 'sip:12333@ivr.example.gov');
  t.is(m.body, sdp);
  const via = topVia(m)!;
  t.is(via.transport, 'UDP');
  t.is(via.host, '10.0.0.1');
  t.is(via.port, 5060);
  t.is(via.branch, 'z9hG4bK776asdhds');
  t.is(via.rport, true);
  t.is(via.received, undefined);
  t.is(callId(m), 'a84b4c76e66710@pc33.example.com');
  t.deepEqual(cseq(m), { seq: 314159, method: 'INVITE' });
  t.is(from(m)!.tag, '1928301774');
  t.is(from(m)!.displayName, 'Alice, caller');
  t.is(from(m)!.uri, 'sip:alice@example.com');
  t.is(to(m)!.tag, undefined);
  t.is(contactUri(m), 'sip:alice@10.0.0.1:5060');
  t.is(maxForwards(m), 70);
  t.is(contentType(m)!.type, 'application/sdp');
  t.is(contentLength(m), sdp.length);
  t.is(header(m, 'content-length'), undefined, 'Content-Length is derived from the body, not stored');
});

test('the same INVITE as bytes parses the same', (t) => {
  t.deepEqual(parse(Buffer.from(invite)), parse(invite));
});

test('200 OK with received and numeric rport', (t) => {
  const text = [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;received=192.0.2.4;rport=5062',
    'To: <sip:12333@ivr.example.gov>;tag=a6c85cf',
    'From: <sip:alice@example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    'CSeq: 314159 INVITE',
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
  const m = parse(text);
  t.is(m.kind, 'response');
  if (m.kind !== 'response') return;
  t.is(m.status, 200);
  t.is(m.reason, 'OK');
  t.is(topVia(m)!.received, '192.0.2.4');
  t.is(topVia(m)!.rport, 5062);
  t.is(to(m)!.tag, 'a6c85cf');
  t.is(m.body, '');
  t.is(serialize(m), text);
});

test('compact forms map to canonical names', (t) => {
  const text = [
    'OPTIONS sip:ivr.example.gov SIP/2.0',
    'v: SIP/2.0/TCP host.example.com;branch=z9hG4bKx',
    'f: <sip:a@b>;tag=1', 't: sip:ivr.example.gov', 'i: cid1', 'CSeq: 1 OPTIONS',
    'm: <sip:a@10.0.0.2>', 'k: timer, 100rel', 's: hello', 'o: dialog', 'u: presence', 'r: <sip:x@y>',
    'b: <sip:z@y>', 'x: 1800', 'e: gzip', 'c: text/plain', 'l: 2',
    '', 'hi',
  ].join('\r\n');
  const m = parse(text);
  t.deepEqual(m.headers.map((h) => h.name), [
    'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Supported', 'Supported', 'Subject', 'Event',
    'Allow-Events', 'Refer-To', 'Referred-By', 'Session-Expires', 'Content-Encoding', 'Content-Type',
  ]);
  t.deepEqual(headerValues(m, 'k'), ['timer', '100rel']);
  t.is(m.body, 'hi');
  t.is(to(m)!.uri, 'sip:ivr.example.gov');
});

test('header names are case-insensitive; unknown names are title-cased', (t) => {
  const m = parse('BYE sip:a@b SIP/2.0\r\nCALL-id: x\r\ncseq: 2 BYE\r\nx-custom-THING: 1\r\n\r\n');
  t.deepEqual(m.headers, [{ name: 'Call-ID', value: 'x' }, { name: 'CSeq', value: '2 BYE' }, { name: 'X-Custom-Thing', value: '1' }]);
});

test('folded header lines are joined with one space', (t) => {
  const m = parse('MESSAGE sip:a@b SIP/2.0\r\nSubject: I know you\'re there,\r\n   pick up the phone\r\n\tand talk to me!\r\nVia: SIP/2.0/UDP a.b;branch=z9hG4bK1,\r\n SIP/2.0/UDP c.d;branch=z9hG4bK2\r\n\r\n');
  t.is(header(m, 'Subject'), 'I know you\'re there, pick up the phone and talk to me!');
  t.deepEqual(vias(m).map((v) => v.branch), ['z9hG4bK1', 'z9hG4bK2']);
});

test('multi-value Via and Contact keep order and respect quotes and <...>', (t) => {
  const m = parse([
    'REGISTER sip:registrar.example.gov SIP/2.0',
    'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKa, SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKb',
    'Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKc',
    'Contact: "Doe, John" <sip:john@a.example;lr,x>;q=0.7, <sip:john@b.example>;expires="3,600"',
    'Contact: sip:john@c.example;q=0.1',
    'Allow: INVITE, ACK,BYE',
    '', '',
  ].join('\r\n'));
  t.deepEqual(vias(m).map((v) => [v.transport, v.host, v.port, v.branch]), [
    ['UDP', 'p1.example.com', undefined, 'z9hG4bKa'],
    ['TCP', '[2001:db8::1]', 5070, 'z9hG4bKb'],
    ['WS', 'df7jal23ls0d.invalid', undefined, 'z9hG4bKc'],
  ]);
  const cs = contacts(m);
  t.deepEqual(cs.map((c) => c.uri), ['sip:john@a.example;lr,x', 'sip:john@b.example', 'sip:john@c.example']);
  t.is(cs[0]!.displayName, 'Doe, John');
  t.is(cs[0]!.params.get('q'), '0.7');
  t.is(cs[1]!.params.get('expires'), '3,600');
  t.deepEqual(headerValues(m, 'Allow'), ['INVITE', 'ACK', 'BYE']);
});

test('missing Content-Length on a datagram: body is the rest; on a stream: error', (t) => {
  const text = 'MESSAGE sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\nhello there';
  t.is(parse(text).body, 'hello there');
  parseError(t, text, /missing Content-Length/, { transport: 'stream' });
});

test('bytes beyond Content-Length are discarded; Content-Length counts UTF-8 bytes', (t) => {
  t.is(parse('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 3\r\n\r\nabcdef').body, 'abc');
  t.is(parse('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 4\r\n\r\nhé!x').body, 'hé!');
  t.is(parse(Buffer.from('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 4\r\n\r\nhé!x')).body, 'hé!');
  const m: SipMessage = { kind: 'request', method: 'MESSAGE', uri: 'sip:a@b', headers: [], body: '12333 热线' };
  t.regex(serialize(m), /Content-Length: 12\r\n/);
  t.deepEqual(parse(encode(m)), m);
});

test('bad start lines', (t) => {
  parseError(t, 'INV@TE sip:a@b SIP/2.0\r\n\r\n', /bad method.*line 1, column 1/);
  parseError(t, 'INVITE sip:a@b SIP/3.0\r\n\r\n', /bad SIP version.*column 16/);
  parseError(t, 'INVITE sip:a@b\r\n\r\n', /bad request line/);
  parseError(t, 'INVITE  sip:a@b SIP/2.0\r\n\r\n', /bad URI/);
  parseError(t, 'INVITE nouri SIP/2.0\r\n\r\n', /bad URI/);
  parseError(t, 'SIP/2.0 99 Weird\r\n\r\n', /bad status code|out of range/);
  parseError(t, 'SIP/2.0 700 Weird\r\n\r\n', /out of range/);
  parseError(t, 'SIP/2.0 200\r\n\r\n', /reason phrase/);
  parseError(t, 'SIP/1.0 200 OK\r\n\r\n', /unsupported SIP version/);
  parseError(t, 'INVITE sip:a@b SIP/2.0', /start line not terminated/);
  parseError(t, 'INVITE sip:a@b SIP/2.0\r\nVia: x\r\n', /headers not terminated|Via/);
  parseError(t, '', /empty message/);
});

test('bad headers say which line', (t) => {
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nCall-ID: 1\r\nNoColon\r\n\r\n', /no colon.*line 3/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\n folded\r\n\r\n', /continuation line before any header/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nSubject: a\nb\r\n\r\n', /bare LF.*line 2, column 11/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nCSeq: x BYE\r\n\r\n', /CSeq.*line 2/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP\r\n\r\n', /Via/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nContact: "open <sip:a@b>\r\n\r\n', /unterminated quoted string/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nCall-ID: 1\r\ni: 2\r\n\r\n', /duplicate Call-ID/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nAllow: INVITE,,BYE\r\n\r\n', /empty element/);
});

test('bad Content-Length', (t) => {
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nContent-Length: abc\r\n\r\n', /bad Content-Length.*line 2/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n', /bad Content-Length/);
  const e = parseError(t, 'BYE sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nshort', /shorter than Content-Length \(5 < 10\)/);
  t.is(e.expected, '10 bytes of body');
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nxx', /conflicting Content-Length/);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nContent-Length: 99999999\r\n\r\n', /over the size limit/);
});

test('oversize messages are rejected, the limit is configurable', (t) => {
  const big = `MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 70000\r\n\r\n${'x'.repeat(70000)}`;
  const e = parseError(t, big, /over the size limit/);
  t.is(e.expected, 'at most 65536 bytes');
  t.is(parse(big, { maxSize: 100000 }).body.length, 70000);
  parseError(t, invite, /over the size limit/, { maxSize: 100 });
});

test('errors carry byte offset, line and column', (t) => {
  const e = parseError(t, 'BYE sip:é@b SIP/2.0\r\nSubject: ok\r\nCSeq: one BYE\r\n\r\n', /CSeq/);
  t.is(e.line, 3);
  t.is(e.column, 1);
  t.is(e.offset, Buffer.byteLength('BYE sip:é@b SIP/2.0\r\nSubject: ok\r\n'));
  t.is(e.header, 'CSeq');
});

test('leading CRLFs (keep-alives) are ignored', (t) => {
  t.is(req(parse('\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\n\r\n')).method, 'OPTIONS');
  t.is(req(parse(Buffer.from('\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\n\r\n'))).method, 'OPTIONS');
  parseError(t, '\r\n\r\n', /only CRLFs/);
});

test('serialize writes canonical names and recomputes Content-Length', (t) => {
  const m: SipMessage = {
    kind: 'request', method: 'INFO', uri: 'sip:a@b',
    headers: [{ name: 'call-id', value: 'x' }, { name: 'Content-Length', value: '999' }, { name: 'v', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' }],
    body: 'abc',
  };
  t.is(serialize(m), 'INFO sip:a@b SIP/2.0\r\nCall-ID: x\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nContent-Length: 3\r\n\r\nabc');
  t.throws(() => serialize({ ...m, headers: [{ name: 'Subject', value: 'a\r\nInjected: 1' }] }), { message: /CR or LF/ });
});

test('parse(serialize(m)) equals m for the INVITE', (t) => {
  const m = parse(invite);
  t.deepEqual(parse(serialize(m)), m);
  t.is(serialize(m), invite);
});

test('accessors on a hand-built message with a bad value raise SipParseError', (t) => {
  const m: SipMessage = { kind: 'request', method: 'BYE', uri: 'sip:a@b', headers: [{ name: 'CSeq', value: 'BYE 1' }, { name: 'Via', value: 'HTTP/1.1 x' }], body: '' };
  t.throws(() => cseq(m), { instanceOf: SipParseError, message: /CSeq: bad sequence number/ });
  t.throws(() => topVia(m), { instanceOf: SipParseError, message: /Via/ });
  t.is(callId(m), undefined);
});

test('Contact * (REGISTER wildcard) and Record-Route lists', (t) => {
  const m = parse('REGISTER sip:r.example SIP/2.0\r\nContact: *\r\nRecord-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\nExpires: 0\r\n\r\n');
  t.is(contactUri(m), '*');
  t.deepEqual(headerValues(m, 'record-route'), ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
  parseError(t, 'BYE sip:a@b SIP/2.0\r\nFrom: *\r\n\r\n', /From: bad URI/);
});
