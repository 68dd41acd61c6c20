// `callsim load TARGET`: real SIP calls at a target over UDP with callsim's own user agent
// (the native engine), on an open model: calls start at their scheduled (Poisson) instants and
// every latency counts from that instant. Bounded: --calls or --duration is required, and the
// run stops by itself. Reports post-dial delay, ivr_answer, set-up success and failures by
// status; exit 0 when every call was set up, 1 when some were not, 2 for bad input, 3 when the
// generator itself saturated (its event loop lagged), 130 on Ctrl-C (live calls are CANCELled
// or hung up first; what was measured is printed, marked partial).
//
// Built so far: the native engine over UDP. Not yet: --engine sipp|jssip, WebSocket targets,
// callers driven by a scenario's IVR behaviour and arrival profile, ACD metrics reported back
// by `callsim serve`.

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CommandModule } from 'yargs';
import { RandomStreams } from '../../sim/kernel/random.js';
import { WallClockScheduler } from '../../sim/kernel/wall-clock.js';
import type { DurationMetric } from '../../sim/metrics/duration-metric.js';
import { LoadRun } from '../../sim/metrics/load-run.js';
import { parseDuration, parseRate } from '../../sim/scenario/units.js';
import { UdpTransport } from '../../sim/sip/udp-transport.js';
import { UserAgent } from '../../sim/sip/user-agent.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { isLoopback } from '../loopback.js';

interface LoadArgs {
  target: string;
  rate: string;
  calls?: number;
  duration?: string;
  'max-concurrent': number;
  keys: string;
  'key-gap': string;
  hold: string;
  'ring-timeout': string;
  from: string;
  remote?: boolean;
  seed: number;
  json?: boolean;
  quiet?: boolean;
}

/** The generator lagging this much (event-loop delay p99) means its numbers describe itself, not the target. */
const SATURATION_MS = 50;

/** `sip:user@host[:port]` with an IP literal host, UDP only for the native engine. */
export function parseTarget(target: string, allowRemote: boolean): { uri: string; peer: string } {
  const m = /^sip:([^@;]+)@(\[[0-9a-fA-F:]+\]|[0-9.]+)(?::(\d{1,5}))?(;.*)?$/.exec(target.trim());
  if (!m) {
    if (/^wss?:\/\//.test(target) || /;transport=ws/i.test(target)) throw new UsageError(`${target}: WebSocket targets need the jssip engine, which is not built yet; give a sip: URI for UDP`);
    throw new UsageError(`${target}: expected a SIP URI with an IP address such as sip:12333@127.0.0.1:5060`);
  }
  const params = m[4] ?? '';
  if (params !== '' && !/^;transport=udp$/i.test(params)) throw new UsageError(`${target}: only UDP targets are supported by the native engine so far (got ${params})`);
  const host = m[2]!;
  const port = m[3] === undefined ? 5060 : Number(m[3]);
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`${target}: port ${m[3]} is out of range`);
  const bare = host.replace(/^\[|\]$/g, '');
  if (!allowRemote && !isLoopback(bare)) throw new UsageError(`${target}: ${bare} is not a loopback address; add --remote to call another host`);
  return { uri: `sip:${m[1]}@${host}${m[3] ? `:${m[3]}` : ''}`, peer: `${host}:${port}` };
}

function seconds(flag: string, v: string): number {
  const d = parseDuration(v);
  if (d === undefined || !(d >= 0)) throw new UsageError(`--${flag} ${v}: expected a duration such as 500ms, 2s or 10m`);
  return d;
}

function stats(m: DurationMetric): Record<string, number> {
  return { count: m.count, mean: m.mean, min: m.count ? m.min : NaN, p50: m.percentile(50), p90: m.percentile(90), p95: m.percentile(95), p99: m.percentile(99), max: m.count ? m.max : NaN };
}

export function loadCommand(setCode: (code: number) => void): CommandModule<object, LoadArgs> {
  return {
    command: 'load <target>',
    describe: 'Place real SIP calls at a target (native engine, UDP) and measure what it does',
    builder: (y) =>
      y
        .positional('target', { type: 'string', demandOption: true, describe: 'SIP URI, e.g. sip:12333@127.0.0.1:5060' })
        .option('rate', { type: 'string', demandOption: true, describe: 'calls per second, e.g. 50/s or 100 (Poisson arrivals)' })
        .option('calls', { type: 'number', describe: 'start at most this many calls' })
        .option('duration', { type: 'string', describe: 'start calls for this long, e.g. 30s' })
        .option('max-concurrent', { type: 'number', default: 1000, describe: 'live calls at most (a call due beyond it is not started, and counted)' })
        .option('keys', { type: 'string', default: '', describe: 'DTMF keys sent by INFO after the answer, e.g. 0' })
        .option('key-gap', { type: 'string', default: '500ms', describe: 'time between keys (and from the answer to the first key)' })
        .option('hold', { type: 'string', default: '1s', describe: 'time the call stays up after its last key' })
        .option('ring-timeout', { type: 'string', default: '30s', describe: 'CANCEL a call not answered this long after its scheduled start' })
        .option('from', { type: 'string', default: '0431', describe: 'calling numbers: this prefix and the call number (the area code picks the center)' })
        .option('remote', { type: 'boolean', describe: 'allow a target that is not a loopback address' })
        .option('seed', { type: 'number', default: 1, describe: 'seed of the arrival times' })
        .option('json', { type: 'boolean', describe: 'print the results as JSON' })
        .option('quiet', { type: 'boolean', describe: 'no status lines on stderr' }) as never,
    handler: async (args) => {
      const target = parseTarget(args.target, args.remote === true);
      const rate = parseRate(args.rate);
      if (rate === undefined || !(rate > 0)) throw new UsageError(`--rate ${args.rate}: expected calls per second such as 50/s, 100/m or 20`);
      if (args.calls === undefined && args.duration === undefined) throw new UsageError('give --calls N or --duration T: a load run is always bounded');
      if (args.calls !== undefined && (!Number.isSafeInteger(args.calls) || args.calls < 1)) throw new UsageError(`--calls ${args.calls}: expected a whole number >= 1`);
      if (!Number.isSafeInteger(args['max-concurrent']) || args['max-concurrent'] < 1) throw new UsageError(`--max-concurrent ${args['max-concurrent']}: expected a whole number >= 1`);
      if (!/^[0-9*#A-D]*$/.test(args.keys)) throw new UsageError(`--keys ${args.keys}: expected DTMF keys 0-9, *, #, A-D`);
      if (!/^[0-9+]*$/.test(args.from)) throw new UsageError(`--from ${args.from}: expected digits`);
      const duration = args.duration === undefined ? Infinity : seconds('duration', args.duration);
      const plan = {
        ...target,
        rate,
        calls: args.calls ?? Number.MAX_SAFE_INTEGER,
        duration: Number.isFinite(duration) ? duration : (args.calls! / rate) * 10 + 60,
        maxConcurrent: args['max-concurrent'],
        keys: args.keys,
        keyGap: seconds('key-gap', args['key-gap']),
        hold: seconds('hold', args.hold),
        ringTimeout: seconds('ring-timeout', args['ring-timeout']),
        from: args.from,
      };

      const clock = new WallClockScheduler();
      let ua: UserAgent<never> | undefined;
      const transport = await UdpTransport.bind({ onMessage: (m, f) => ua?.receive(m, f) });
      ua = new UserAgent(clock, transport, { address: transport.address, name: `l${process.pid.toString(36)}x`, product: 'callsim-load' });
      const run = new LoadRun(clock, ua as never, plan, new RandomStreams(args.seed).stream('load:arrivals'));
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      let interrupted = false;
      const onSigint = (): void => {
        interrupted = true;
        run.stop();
      };
      process.once('SIGINT', onSigint);
      // the hard bound: starts stop at plan.duration; every call then has its own timers
      const bound = (plan.duration + plan.ringTimeout + plan.keys.length * plan.keyGap + plan.hold + 40) * 1000;
      const guard = setTimeout(() => run.stop(), bound);
      const started = performance.now();
      if (!args.quiet) process.stderr.write(`callsim load: ${plan.uri} from ${transport.address}, ${rate} calls/s${args.calls ? `, ${args.calls} calls` : ''}${args.duration ? ` for ${args.duration}` : ''}\n`);
      run.start();
      await run.done;
      clearTimeout(guard);
      process.removeListener('SIGINT', onSigint);
      lag.disable();
      // let the last ACKs and 200s leave, then close
      await new Promise((r) => setTimeout(r, 100));
      clock.close();
      await transport.close();

      const c = run.counters;
      const failedCalls = Object.values(c.failed).reduce((a, b) => a + b, 0);
      const lagP99 = lag.percentile(99) / 1e6;
      const saturated = lagP99 > SATURATION_MS;
      const result = {
        target: plan.uri,
        engine: 'native',
        partial: interrupted,
        wallSeconds: (performance.now() - started) / 1000,
        counters: c,
        setupSuccess: c.started > 0 ? c.answered / c.started : NaN,
        metrics: Object.fromEntries(Object.entries(run.metrics).map(([k, m]) => [k, stats(m)])),
        generator: { eventLoopDelayP99Ms: lagP99, saturated, threshold: SATURATION_MS },
      };
      run.destroy();
      if (args.json) {
        process.stdout.write(JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
      } else {
        const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
        const lines = [
          `${plan.uri}: ${c.started} calls started of ${c.scheduled} scheduled (${c.notStarted} not started: --max-concurrent), ${c.answered} answered, ` +
            `set-up success ${(result.setupSuccess * 100).toFixed(2)} %`,
          `failures by status: ${failedCalls === 0 ? 'none' : Object.entries(c.failed).map(([s, n]) => `${s} x${n}`).join(', ')}; ring timeouts (CANCEL): ${c.ringTimeouts}`,
          `keys sent ${c.keysSent}, acknowledged ${c.keysAcked}; ended by the target ${c.endedByTarget} of ${c.completed}`,
          '',
          'metric (s, from the scheduled start)   count     p50     p90     p95     p99     max',
          ...Object.entries(result.metrics).map(([k, m]) => `${k.padEnd(36)} ${String(m['count']).padStart(6)} ${f(m['p50']!).padStart(7)} ${f(m['p90']!).padStart(7)} ${f(m['p95']!).padStart(7)} ${f(m['p99']!).padStart(7)} ${f(m['max']!).padStart(7)}`),
          '',
          `generator: event-loop delay p99 ${lagP99.toFixed(1)} ms${saturated ? ` — SATURATED (over ${SATURATION_MS} ms): these numbers describe the generator, not the target` : ''}`,
          ...(interrupted ? ['PARTIAL: interrupted by Ctrl-C'] : []),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }
      setCode(interrupted ? EXIT.interrupted : saturated ? EXIT.untrusted : c.answered === c.started && c.notStarted === 0 ? EXIT.ok : EXIT.slaFailed);
    },
  };
}
