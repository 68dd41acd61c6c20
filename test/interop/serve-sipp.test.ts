// `callsim serve` against SIPp, the independent SIP peer (Debian sip-tester): 50 calls a
// second for 10 s, each pressing 0 by INFO and answered by an agent who then hangs up.
// SIPp must see no failed call and callsim must count the same calls. Missing sipp fails.

import test from 'ava';
import { parseSippLog } from '../../sim/sip/sipp/log-parser.js';
import { runSipp } from '../../sim/sip/sipp/run-sipp.js';
import { UAC_EVENTS, uacScenarioXml } from '../../sim/sip/sipp/scenario-xml.js';
import { startServe } from './serve-cli.js';

test('SIPp calls callsim serve at 50 calls/s for 10 s, presses 0 by INFO, is answered by an agent: 0 failed, the same count on both sides', async (t) => {
  const server = await startServe('scenarios/interop.yaml');
  const calls = 500;
  const sippRun = runSipp({
    scenarioXml: uacScenarioXml({
      digits: [{ key: '0', pauseMs: 200 }],
      holdMs: 0,
      hangup: 'system',
      from: '043188887777',
      expect: { provisional: [{ code: 180, optional: false }], final: 200 },
    }),
    remote: server.udp,
    localPort: 0,
    calls,
    rate: 50,
    timeoutS: 60,
    recvTimeoutMs: 20_000,
  }).catch(async (e: unknown) => {
    await server.stop().catch(() => undefined);
    throw e;
  });
  const sipp = await sippRun;
  const stopped = await server.stop();
  t.log(`sipp exit ${sipp.exitCode} after ${sipp.wallMs} ms; serve exit ${stopped.code}`);
  t.is(sipp.exitCode, 0, `SIPp reports failed calls:\n${sipp.output}\n${sipp.errors.slice(0, 2000)}`);
  const log = parseSippLog(sipp.logText);
  const completed = [...log.calls.values()].filter((c) => c.events.has(UAC_EVENTS.byeReceived) && c.events.has(UAC_EVENTS.infoOk(0)));
  t.is(completed.length, calls, 'every SIPp call pressed 0, got 200 for its INFO and the agent hung up');
  const s = stopped.summary;
  t.is(s.totals.offered, calls, 'callsim counts the same calls');
  t.is(s.totals.answered, calls, 'every one answered by an agent');
  t.is(s.totals.abandoned, 0);
  t.is(s.metrics.talk!.count, calls);
  t.true(s.slas.every((x) => x.pass), JSON.stringify(s.slas));
  t.is(stopped.code, 0);
});
