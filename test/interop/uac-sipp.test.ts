// callsim's own UAC (the user agent core on a UDP socket and the wall clock) against a SIPp
// UAS that rings for 1.5 s before answering: every call is set up, sends a key by INFO and
// hangs up, and SIPp's log shows each INFO and BYE.

import test from 'ava';
import { WallClockScheduler } from '../../sim/kernel/wall-clock.js';
import { parseSippLog } from '../../sim/sip/sipp/log-parser.js';
import { freeUdpPort, startSipp } from '../../sim/sip/sipp/run-sipp.js';
import { uasScenarioXml } from '../../sim/sip/sipp/scenario-xml.js';
import { UdpTransport } from '../../sim/sip/udp-transport.js';
import { UserAgent, type SipCall } from '../../sim/sip/user-agent.js';


interface Outcome { ringing: number; answered: number; ended: string; infoStatus: number }

test("callsim's UAC over UDP completes calls against a SIPp UAS", async (t) => {
  const calls = 20;
  const port = await freeUdpPort();
  const sipp = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: 1500 }), localPort: port, calls, timeoutS: 40 });
  const clock = new WallClockScheduler();
  const outcomes = new Map<number, Partial<Outcome>>();
  let ua: UserAgent<number> | undefined;
  const transport = await UdpTransport.bind({ onMessage: (m, f) => ua?.receive(m, f) });
  ua = new UserAgent<number>(clock, transport, { address: transport.address, name: `t${process.pid}x`, product: 'callsim-test' });
  const done = new Promise<void>((resolve) => {
    let ended = 0;
    const finish = (call: SipCall<number>, how: string): void => {
      outcomes.get(call.data!)!.ended = how;
      if (++ended === calls) resolve();
    };
    for (let i = 0; i < calls; i++) {
      outcomes.set(i, {});
      clock.after(i * 0.05, () => {
        const started = clock.now();
        ua!.call(`sip:12333@127.0.0.1:${port}`, `127.0.0.1:${port}`, `0431${1000 + i}`, {
          progress: (c, s) => { if (s === 180) outcomes.get(c.data!)!.ringing = clock.now() - started; },
          answered: (c) => {
            outcomes.get(c.data!)!.answered = clock.now() - started;
            c.sendDtmf('1');
          },
          infoAnswered: (c, status) => {
            outcomes.get(c.data!)!.infoStatus = status;
            clock.after(0.2, () => c.hangup(), undefined);
          },
          failed: (c, status) => finish(c, `failed ${status}`),
          ended: (c, by) => finish(c, by),
        }, i);
      }, undefined);
    }
  });
  const guard = new Promise<void>((_, reject) => setTimeout(() => reject(new Error('calls did not end within 30 s')), 30_000).unref());
  try {
    await Promise.race([done, guard]);
  } finally {
    const result = await sipp.done;
    clock.close();
    await transport.close();
    const log = parseSippLog(result.logText);
    t.is(result.exitCode, 0, result.output);
    const withInfoAndBye = [...log.calls.values()].filter((c) => c.events.has('info_rcvd') && c.events.has('bye_rcvd'));
    t.is(withInfoAndBye.length, calls, 'SIPp saw an INFO and a BYE on every call');
  }
  for (const [i, o] of outcomes) {
    t.is(o.ended, 'local', `call ${i}`);
    t.is(o.infoStatus, 200);
    t.true(o.answered! >= 1.5, `call ${i} answered after ${o.answered} s; SIPp rings 1.5 s first`);
    t.true(o.ringing! < o.answered!);
  }
});
