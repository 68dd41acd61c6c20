// `callsim serve` as a user meets it: flags checked before anything binds, loopback unless
// --public, a malformed datagram answered 400 without stopping the server, the dialog limit
// answered 503, and the summary written at the end (Ctrl-C).

import test from 'ava';
import { createSocket } from 'node:dgram';
import { WallClockScheduler } from '../sim/kernel/wall-clock.js';
import { UdpTransport } from '../sim/sip/udp-transport.js';
import { UserAgent } from '../sim/sip/user-agent.js';
import { callsim } from './cli.js';
import { startServe } from './interop/serve-cli.js';

test('serve refuses a non-loopback address unless told --public, and a bad address, with exit 2', (t) => {
  const pub = callsim(['serve', 'scenarios/interop.yaml', '--udp', '0.0.0.0:5060', '--duration', '1s']);
  t.is(pub.code, 2);
  t.regex(pub.stderr, /0\.0\.0\.0 is not a loopback address.*--public/);
  const bad = callsim(['serve', 'scenarios/interop.yaml', '--udp', 'localhost', '--duration', '1s']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /--udp localhost: expected host:port/);
  const dur = callsim(['serve', 'scenarios/interop.yaml', '--udp', '127.0.0.1:0', '--duration', 'soon']);
  t.is(dur.code, 2);
  t.regex(dur.stderr, /--duration soon/);
  // below what RFC 3261 lets a client send over UDP (and below the server's own 200 OK): a mistake
  const tiny = callsim(['serve', 'scenarios/interop.yaml', '--udp', '127.0.0.1:0', '--max-message-size', '10', '--duration', '1s']);
  t.is(tiny.code, 2);
  t.regex(tiny.stderr, /--max-message-size 10: expected at least 1300 bytes .*RFC 3261 §18\.1\.1/);
  t.false(/\n\s+at /.test(pub.stderr + bad.stderr + dur.stderr + tiny.stderr), 'no stack traces');
});

test('with --speed the scenario starts when serve does (not when its clock was built), and both status lines say scenario and real time', (t) => {
  // 2 minutes of the scenario at 60x: 2 s real
  const r = callsim(['serve', 'scenarios/12333-province.yaml', '--udp', '127.0.0.1:0', '--speed', '60', '--duration', '2m', '--json']);
  t.is(r.code, 1, r.stderr); // the night's first minutes miss the SLAs: no agent answers
  const summary = JSON.parse(r.stdout) as { covered: number; timing: { wallSeconds: number } };
  // covered (scenario seconds since the clock's zero) over the speed, less the wall time since
  // the model started: the scenario time lost before the start. Building the collector and
  // binding the socket took 0.2-0.27 s (12-16 s of the scenario) when the clock started first.
  const lost = summary.covered / 60 - summary.timing.wallSeconds;
  t.true(lost >= 0 && lost < 0.05, `${lost.toFixed(3)} s real (${(lost * 60).toFixed(1)} s of the scenario) before the model started`);
  t.regex(r.stderr, /60x real time; stops after 2m of the scenario \(2s real\) or on Ctrl-C\n/);
  t.regex(r.stderr, /stopped by --duration after 2\.\d s \(2m\d*s? of the scenario covered at 60x\); 0 calls taken/);
});

function datagram(to: string, text: string): Promise<string> {
  const [host, port] = [to.slice(0, to.lastIndexOf(':')), Number(to.slice(to.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => { s.close(); reject(new Error('no answer within 5 s')); }, 5000);
    s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(m.toString()); });
    s.send(text, port, host);
  });
}

test('a malformed request gets 400 and the server keeps serving; past --max-calls a call gets 503; the summary counts what was served', async (t) => {
  const server = await startServe('scenarios/interop.yaml', ['--max-calls', '1']);
  try {
    const broken = [
      'INVITE sip:12333@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKbroken;rport',
      'From: <sip:x@127.0.0.1>;tag=1',
      'To: <sip:12333@127.0.0.1>',
      'Call-ID: broken-1',
      'CSeq: 1 INVITE',
      'Max-Forwards: plenty',
      'Content-Length: 0',
      '', '',
    ].join('\r\n');
    const reply = await datagram(server.udp, broken);
    t.regex(reply, /^SIP\/2\.0 400 /, reply.split('\r\n')[0]);

    const clock = new WallClockScheduler();
    let ua: UserAgent<number> | undefined;
    const transport = await UdpTransport.bind({ onMessage: (m, f) => ua?.receive(m, f) });
    ua = new UserAgent<number>(clock, transport, { address: transport.address, name: 'st' });
    const results: string[] = [];
    const ended = new Promise<void>((resolve) => {
      const events = {
        answered: () => results.push('answered'),
        failed: (_c: unknown, status: number) => { results.push(`failed ${status}`); resolve(); },
      };
      ua!.call('sip:12333@127.0.0.1', server.udp, '043111112222', events, 1);
      clock.after(0.3, () => ua!.call('sip:12333@127.0.0.1', server.udp, '043133334444', events, 2), undefined);
    });
    await ended;
    t.deepEqual(results, ['failed 503'], 'the second call, over the limit of one live dialog, is refused while the first rings');
    await new Promise((r) => setTimeout(r, 1500));
    t.deepEqual(results, ['failed 503', 'answered'], 'the first call is answered after the IVR rings for 1 s');
    clock.close();
    await transport.close();
  } catch (e) {
    t.log(`failed before the summary: ${String(e)}`);
    throw e;
  } finally {
    const stopped = await server.stop();
    t.is(stopped.summary.totals.offered, 1, 'one call taken');
    // stopped after seconds of a 1 h scenario: not partial (that is how a server ends), but says what it covers
    t.false(stopped.summary.partial);
    const covered = stopped.summary.covered ?? NaN;
    t.true(covered > 1 && covered < 600, `covered ${covered}`);
    t.is(stopped.summary.totals.ivrAnswered ?? stopped.summary.ivr?.answered, 1);
    t.regex(stopped.stderr, /1 call taken, 1 refused over the limit, 1 cut at the end, 1 transport problem\n/, 'the malformed request is the one transport problem');
    // the server hung up on the call in its IVR: not a caller hanging up there
    t.deepEqual([stopped.summary.rates['ivr_hangup_rate']?.numerator, stopped.summary.rates['ivr_hangup_rate']?.denominator], [0, 1]);
  }
});
