import test from 'ava';
import { parse } from './codec.js';
import { SipParseError } from './errors.js';
import { callId, contactUri, contentType, cseq, from, maxForwards, to, topVia } from './headers.js';
import { interleavedCalls } from './call-messages.js';
import type { SipMessage } from './message.js';

// The accessors remember the last value each parsed: that must never show one message's
// header for another's, nor hide an error.

const hand = (headers: { name: string; value: string }[]): SipMessage => ({ kind: 'request', method: 'BYE', uri: 'sip:a@b', headers, body: '' });

test('accessors give each message its own values when messages alternate', (t) => {
  const msgs = interleavedCalls(3).slice(0, 6).map((text) => parse(text)); // the INVITEs, then the 100s, of calls 0-2
  for (let round = 0; round < 3; round++) {
    for (const [i, m] of msgs.entries()) {
      const call = i % 3;
      t.is(from(m)!.uri, `sip:${13904310001 + call}@callers.callsim.invalid`);
      t.is(callId(m), m.headers.find((h) => h.name === 'Call-ID')!.value);
      t.is(topVia(m)!.branch, m.headers.find((h) => h.name === 'Via')!.value.split('branch=')[1]!.split(';')[0]);
      t.is(cseq(m)!.method, 'INVITE');
      t.is(to(m)!.tag, undefined);
    }
  }
  t.is(contactUri(msgs[0]!), 'sip:13904310001@10.20.0.17:5060;transport=udp');
  t.is(contentType(msgs[0]!)!.type, 'application/sdp');
  t.is(maxForwards(msgs[0]!), 70);
});

test('a malformed value is not remembered: it throws every time, and a good one after it parses', (t) => {
  const bad = hand([{ name: 'CSeq', value: 'x BYE' }, { name: 'Via', value: 'SIP/2.0/UDP h;branch=1;branch=2' }]);
  const good = hand([{ name: 'CSeq', value: '7 BYE' }, { name: 'Via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' }]);
  for (let round = 0; round < 2; round++) {
    t.throws(() => cseq(bad), { instanceOf: SipParseError, message: /CSeq: bad sequence number/ });
    t.throws(() => topVia(bad), { instanceOf: SipParseError, message: /duplicate parameter "branch"/ });
    t.deepEqual(cseq(good), { seq: 7, method: 'BYE' });
    t.is(topVia(good)!.branch, 'z9hG4bK1');
  }
});

test('equal header values give equal results; a changed value is parsed again', (t) => {
  const a = hand([{ name: 'From', value: '<sip:a@b>;tag=1' }]);
  const b = hand([{ name: 'From', value: '<sip:a@b>;tag=2' }]);
  t.is(from(a)!.tag, '1');
  t.is(from(a), from(hand([{ name: 'From', value: '<sip:a@b>;tag=1' }])), 'same text, same immutable result');
  t.is(from(b)!.tag, '2');
  t.is(from(a)!.tag, '1');
});
