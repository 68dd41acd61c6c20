// The SIP part of `npm run bench`: a simulated day with every call signalled over in-memory SIP
// (against the same day with direct signaling), and `callsim serve` under SIPp load next to a
// SIPp UAS under the same load. Figures are ratios against references measured in the same
// run; absolute figures on a shared machine mean little. Reports, never fails.

import { runServeBench, type ServeBench } from './serve-load.js';
import { runSipDay } from './children.js';
import type { SipDayBench } from './sip-day.js';

/** The issue's targets. */
const TARGET_MILLION_SIP_SECONDS = 60;
const TARGET_SERVE_CPU_RATIO = 3;
const TARGET_SERVE_RATE = 500;

export interface SipBenchOptions {
  /** Share of the million-call day to run with SIP signaling (1 = the whole day). */
  readonly dayFraction: number;
  readonly serveRate: number;
  readonly serveSeconds: number;
}

export async function sipBenchLines(o: SipBenchOptions, progress: (what: string) => void): Promise<string[]> {
  const out: string[] = [''];
  progress(`in-memory SIP: ${o.dayFraction} of the million-call day, direct then SIP`);
  let day: SipDayBench | undefined;
  const child = runSipDay(o.dayFraction);
  if (child.ok) day = child.run;
  else out.push(`in-memory SIP day: not measured: ${child.reason}`);
  if (day !== undefined) {
    const d = day;
    out.push(
      `in-memory SIP signaling on the million-call model (${d.sip.calls.toLocaleString('en-US')} calls, ${d.sip.messages.toLocaleString('en-US')} SIP messages, ` +
        `each serialized and parsed): ${Math.round(d.sip.callsPerSecond).toLocaleString('en-US')} calls/s vs ${Math.round(d.direct.callsPerSecond).toLocaleString('en-US')} calls/s direct ` +
        `(SIP costs ${d.slowdown.toFixed(1)}x)`,
    );
    out.push(
      `  a 1,000,000-call day with SIP signaling: ${d.millionSeconds.toFixed(0)} s ${d.measured ? 'measured' : `at the measured rate (${o.dayFraction} of the day run)`} ` +
        `(target < ${TARGET_MILLION_SIP_SECONDS} s: ${d.millionSeconds < TARGET_MILLION_SIP_SECONDS ? 'met' : 'NOT met'})`,
    );
  }
  progress(`callsim serve and a SIPp UAS under SIPp load, ${o.serveRate} calls/s for ${o.serveSeconds} s each, then serve at ${TARGET_SERVE_RATE} calls/s`);
  let serve: ServeBench | undefined;
  try {
    serve = await runServeBench(o.serveRate, o.serveSeconds, TARGET_SERVE_RATE, 6, o.serveRate * o.serveSeconds);
  } catch (e) {
    out.push(`callsim serve under SIPp load: not measured: ${String(e)}`);
  }
  if (serve !== undefined) {
    const s = serve;
    out.push(
      `callsim serve under SIPp at ${s.serve.rate} calls/s (INVITE, 180, 200, ACK, INFO 0, agent, BYE): CPU ${s.serve.cpuPerCallMs.toFixed(3)} ms/call, ` +
        `${s.serve.failed} failed of ${s.serve.calls}; a SIPp UAS under the same load: ${s.sippUas.cpuPerCallMs.toFixed(3)} ms/call, ${s.sippUas.failed} failed`,
    );
    // The target is judged on the warm figure: a server under load runs warm, and SIPp has no
    // JIT to warm up (serve-load.ts). Both servers coalesce timers at 10 ms (SIPp's default
    // -timer_resol, serve's SERVE_TIMER_RESOLUTION).
    out.push(`  serve CPU per call / SIPp UAS, serve cold (JIT warming up, for reference only): ${s.cpuRatio.toFixed(2)}`);
    if (s.serveWarm !== undefined && s.cpuRatioWarm !== undefined) {
      out.push(
        `  serve CPU per call after ${s.serveWarm.warmupCalls} warm-up calls: ${s.serveWarm.cpuPerCallMs.toFixed(3)} ms/call, ${s.serveWarm.failed} failed; ` +
          `/ SIPp UAS: ${s.cpuRatioWarm.toFixed(2)}, the figure the target is judged on (target <= ${TARGET_SERVE_CPU_RATIO}: ${s.cpuRatioWarm <= TARGET_SERVE_CPU_RATIO ? 'met' : 'NOT met'})`,
      );
    } else {
      out.push(`  serve measured cold only: the target (<= ${TARGET_SERVE_CPU_RATIO}, warm) is not judged`);
    }
    out.push(
      `  serve at ${s.high.rate} calls/s for ${Math.round(s.high.calls / s.high.rate)} s: ${s.high.failed} failed of ${s.high.calls}, CPU ${s.high.cpuPerCallMs.toFixed(3)} ms/call ` +
        `(target 0 failed: ${s.high.failed === 0 ? 'met' : 'NOT met'})`,
    );
  }
  return out;
}
