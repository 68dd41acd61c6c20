// `callsim serve` under SIPp load, next to a SIPp UAS under the same load: both answer the
// same call (INVITE, 180, 200, ACK, one INFO, BYE) from a SIPp UAC at a fixed rate, and the
// figure is CPU time per call of the server process (user + system, from /proc/<pid>/stat,
// counted from when the load starts to when it ends), as a ratio. Run alone:
//   node dist/bench/serve-load.js [--rate 200] [--seconds 10]
// It reads the real clock and spawns processes, so it lives in bench/.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSippLog } from '../sim/sip/sipp/log-parser.js';
import { freeUdpPort, runSipp, startSipp, type SippRunResult } from '../sim/sip/sipp/run-sipp.js';
import { uacScenarioXml, uasScenarioXml, UAC_EVENTS, type CallerPath } from '../sim/sip/sipp/scenario-xml.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Linux clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on every common kernel). */
const CLK_TCK = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based over the whole line)
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}


export interface ServerLoadRun {
  readonly rate: number;
  readonly calls: number;
  /** Calls SIPp counted as failed (0 is the target). */
  readonly failed: number;
  readonly completed: number;
  readonly cpuSeconds: number;
  readonly cpuPerCallMs: number;
  readonly sippExit: number | null;
}

function summarise(rate: number, calls: number, cpu: number, r: SippRunResult, done: string): ServerLoadRun {
  const log = parseSippLog(r.logText);
  const completed = [...log.calls.values()].filter((c) => c.events.has(done)).length;
  return { rate, calls, failed: calls - completed, completed, cpuSeconds: cpu, cpuPerCallMs: (cpu / calls) * 1000, sippExit: r.exitCode };
}

const PRESS_ZERO: CallerPath = {
  digits: [{ key: '0', pauseMs: 200 }],
  holdMs: 0,
  hangup: 'system',
  from: '043188887777',
  expect: { provisional: [{ code: 180, optional: false }], final: 200 },
};

/** SIPp UAC -> `callsim serve scenarios/interop.yaml` (ring 1 s, press 0, agent answers in 0.5 s, talks 2 s, hangs up). */
export async function loadServe(rate: number, seconds: number): Promise<ServerLoadRun> {
  const calls = Math.round(rate * seconds);
  const child = spawn(process.execPath, [join(root, 'dist/bin/callsim.js'), 'serve', 'scenarios/interop.yaml', '--udp', '127.0.0.1:0', '--max-calls', '20000', '--duration', '10m', '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.resume();
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const udp = await new Promise<string>((res, rej) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on udp sip:12333@(\S+?)[,;]/.exec(err);
      if (m) res(m[1]!);
    });
    child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${err}`)));
  });
  const before = cpuSeconds(child.pid!);
  const r = await runSipp({ scenarioXml: uacScenarioXml(PRESS_ZERO), remote: udp, localPort: 0, calls, rate, timeoutS: seconds + 60, recvTimeoutMs: 30_000 });
  const cpu = cpuSeconds(child.pid!) - before;
  child.kill('SIGINT');
  await exited;
  return summarise(rate, calls, cpu, r, UAC_EVENTS.byeReceived);
}

/** SIPp UAC -> SIPp UAS (ring 1 s, answer, INFO 200, caller hangs up after 2.5 s): the reference server. */
export async function loadSippUas(rate: number, seconds: number): Promise<ServerLoadRun> {
  const calls = Math.round(rate * seconds);
  const port = await freeUdpPort();
  const uas = await startSipp({ scenarioXml: uasScenarioXml({ ringMs: 1000, log: false }), localPort: port, calls, timeoutS: seconds + 60 });
  await new Promise((r) => setTimeout(r, 300));
  const before = cpuSeconds(uas.pid!);
  const path: CallerPath = { ...PRESS_ZERO, hangup: 'caller', holdMs: 2500 };
  const r = await runSipp({ scenarioXml: uacScenarioXml(path), remote: `127.0.0.1:${port}`, localPort: 0, calls, rate, timeoutS: seconds + 60, recvTimeoutMs: 30_000 });
  const cpu = cpuSeconds(uas.pid!) - before;
  uas.stop();
  await uas.done.catch(() => undefined);
  return summarise(rate, calls, cpu, r, UAC_EVENTS.byeOk);
}

export interface ServeBench {
  readonly serve: ServerLoadRun;
  readonly sippUas: ServerLoadRun;
  /** serve CPU per call / SIPp UAS CPU per call (target <= 3). */
  readonly cpuRatio: number;
  /** serve at the high rate (target: 0 failed at 500 calls/s). */
  readonly high: ServerLoadRun;
}

export async function runServeBench(rate = 200, seconds = 10, highRate = 500, highSeconds = 6): Promise<ServeBench> {
  const sippUas = await loadSippUas(rate, seconds);
  const serve = await loadServe(rate, seconds);
  const high = await loadServe(highRate, highSeconds);
  return { serve, sippUas, cpuRatio: serve.cpuPerCallMs / sippUas.cpuPerCallMs, high };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' }, high: { type: 'string', default: '500' } } });
  const b = await runServeBench(Number(values.rate), Number(values.seconds), Number(values.high));
  console.log(JSON.stringify(b, null, 1));
}
