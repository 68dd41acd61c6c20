// A JsSIP 3.13 caller (the browser softphone of a web hotline, here in Node with `ws` and a
// fake RTCPeerConnection) calls `callsim serve` over SIP over WebSocket (RFC 7118), presses 0
// by INFO, is answered by an agent and hears the agent hang up.

import test from 'ava';
import { jssipCall } from '../../sim/sip/jssip/jssip-call.js';
import { startServe } from './serve-cli.js';

test('a JsSIP caller over WebSocket completes a call with DTMF against callsim serve', async (t) => {
  const server = await startServe('scenarios/interop.yaml');
  const result = await jssipCall({
    wsUrl: server.ws,
    target: 'sip:12333@127.0.0.1',
    from: 'sip:043188887777@callsim.invalid',
    dtmf: '0',
    timeout: 30,
  }).finally(() => undefined);
  const stopped = await server.stop();
  t.log(JSON.stringify(result));
  t.not(result.progressAt, undefined, 'heard ringing (180)');
  t.not(result.answeredAt, undefined, 'answered (200, ACK)');
  t.is(result.dtmfSent, 1);
  t.is(result.dtmfAcked, 1, 'the INFO with the 0 got its 200');
  t.is(result.endedBy, 'remote', `the agent hung up (cause ${result.cause})`);
  t.is(stopped.summary.totals.offered, 1);
  t.is(stopped.summary.totals.answered, 1, 'callsim counts it answered by an agent');
  t.is(stopped.summary.metrics.talk!.count, 1);
});
