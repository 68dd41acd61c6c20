// `callsim serve [SCENARIO]`: the scenario's IVR/ACD as a SIP server on the wall clock. Real
// callers (SIPp, softphones, JsSIP) call it over UDP and SIP over WebSocket (RFC 7118); it
// rings and answers as the IVR says, plays the menus' timing, takes DTMF by INFO, queues
// callers for simulated agents who answer, talk and hang up in real time, and at the end
// (`--duration`, or Ctrl-C) writes the same summary as `callsim run`. It binds loopback
// unless `--public` allows another address, limits live dialogs and message size, and answers
// a malformed packet with 400 (or drops it) without ever stopping.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { RandomStreams } from '../../sim/kernel/random.js';
import { WallClockScheduler } from '../../sim/kernel/wall-clock.js';
import { collectorOptions, MetricsCollector } from '../../sim/metrics/collector.js';
import { slaServiceLevelThresholds, summarize, summaryJson } from '../../sim/metrics/summary.js';
import type { Call } from '../../sim/scenario/hotline-state.js';
import { HotlineModel } from '../../sim/scenario/hotline-model.js';
import { loadScenario } from '../../sim/scenario/load.js';
import { ServeSignaling } from '../../sim/scenario/serve-signaling.js';
import { UdpTransport } from '../../sim/sip/udp-transport.js';
import { UserAgent } from '../../sim/sip/user-agent.js';
import { WsServerTransport } from '../../sim/sip/ws-transport.js';
import { formatConsoleSummary, styleFor } from '../../reports/console.js';
import { formatDuration, parseDuration } from '../../sim/scenario/units.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { wholeFlag } from '../flags.js';
import { isLoopback } from '../loopback.js';
import { prepareOutDir } from '../out-dir.js';
import { DEFAULT_SCENARIO, scenarioSets } from './run.js';

/**
 * Timer coalescing of the wall clocks serve runs on, in seconds of each clock: timers due
 * within one step fire together, up to one step late. A server under load then wakes up once
 * per step rather than for each of the several timers every call has (ringing, answer, agents,
 * SIP retransmission and clean-up timers), and a wake-up is most of what a timer costs; SIPp's
 * UAS, what serve is measured against, does the same at its default -timer_resol of 10 ms.
 * On the model's clock it is scenario time: with --speed 50 its events stay within 10 ms of
 * scenario time, which coalesces nothing, while the SIP clock (real time) still does.
 */
export const SERVE_TIMER_RESOLUTION = 0.01;

export interface ServeArgs {
  scenario: string;
  udp?: string;
  ws?: string;
  public?: boolean;
  duration?: string;
  'max-calls': number;
  'max-message-size': number;
  seed?: number;
  speed: number;
  set?: string[];
  out?: string;
  json?: boolean;
  quiet?: boolean;
}


/** `host:port`, `[v6]:port` or `:port` (loopback) -> host and port; exit 2 when it is neither. */
export function listenAddress(flag: string, value: string, allowPublic: boolean): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UsageError(`--${flag} ${value}: expected host:port such as 127.0.0.1:5060 (port 0 picks a free one)`);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  if (!allowPublic && !isLoopback(host)) {
    throw new UsageError(`--${flag} ${value}: ${host} is not a loopback address; callsim serve binds loopback only unless you add --public`);
  }
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

export function serveCommand(setCode: (code: number) => void): CommandModule<object, ServeArgs> {
  return {
    command: 'serve [scenario]',
    describe: "Serve the scenario's IVR/ACD as a SIP server (UDP and WebSocket) on the wall clock",
    builder: (y) =>
      y
        .positional('scenario', { type: 'string', default: DEFAULT_SCENARIO, describe: 'scenario file (YAML)' })
        .option('udp', { type: 'string', describe: 'SIP over UDP on host:port (default 127.0.0.1:5060; "off" for none)' })
        .option('ws', { type: 'string', describe: 'SIP over WebSocket (RFC 7118) on host:port, e.g. 127.0.0.1:8088' })
        .option('public', { type: 'boolean', describe: 'allow binding addresses other than loopback' })
        .option('duration', { type: 'string', describe: "stop after this long, e.g. 10m (default: the scenario's duration); Ctrl-C stops too" })
        .option('max-calls', { type: 'number', default: 5000, describe: 'live dialogs at most; more get 503' })
        .option('max-message-size', { type: 'number', default: 65535, describe: 'largest SIP message accepted, bytes (at least 1300)' })
        .option('seed', { type: 'number', describe: "random seed (overrides the scenario's)" })
        .option('speed', { type: 'number', default: 1, describe: 'scenario seconds per real second: 60 serves an hour of the scenario (agents, prompts, --duration) in a minute' })
        .option('set', { type: 'string', array: true, nargs: 1, describe: 'override a scenario field: path=value (repeatable)' })
        .option('out', { type: 'string', describe: 'write summary.json into this folder at the end' })
        .option('json', { type: 'boolean', describe: 'print summary.json to stdout at the end' })
        .option('quiet', { type: 'boolean', describe: 'no status lines on stderr' }) as never,
    handler: async (args) => {
      const udp = args.udp === 'off' ? null : listenAddress('udp', args.udp ?? '127.0.0.1:5060', args.public === true);
      const ws = args.ws === undefined ? null : listenAddress('ws', args.ws, args.public === true);
      if (udp === null && ws === null) throw new UsageError('nothing to listen on: give --udp or --ws');
      wholeFlag('max-calls', args['max-calls'], { min: 1 });
      if (args['max-message-size'] < MIN_MESSAGE_SIZE) {
        throw new UsageError(
          `--max-message-size ${args['max-message-size']}: expected at least ${MIN_MESSAGE_SIZE} bytes (a client may send any request up to ${MIN_MESSAGE_SIZE} bytes over UDP, RFC 3261 §18.1.1; the server's own 200 OK with SDP is about 500)`,
        );
      }
      wholeFlag('max-message-size', args['max-message-size'], { min: MIN_MESSAGE_SIZE });
      if (!(args.speed > 0 && args.speed <= 10_000)) throw new UsageError(`--speed ${args.speed}: expected a number above 0 and at most 10000`);
      const scenario = loadScenario(args.scenario, { sets: scenarioSets(args) });
      let limit = scenario.duration;
      if (args.duration !== undefined) {
        const d = parseDuration(args.duration);
        if (d === undefined || !(d > 0)) throw new UsageError(`--duration ${args.duration}: expected a duration such as 90s, 10m or 1h`);
        limit = d;
      }
      if (args.out !== undefined) prepareOutDir(args.out);

      // The model runs on the scenario's clock (--speed); SIP timers (T1, Timer B...) on real time.
      const clock = new WallClockScheduler({ speed: args.speed, resolution: SERVE_TIMER_RESOLUTION });
      const sipClock = args.speed === 1 ? clock : new WallClockScheduler({ resolution: SERVE_TIMER_RESOLUTION });
      const collector = new MetricsCollector(collectorOptions(scenario, slaServiceLevelThresholds(scenario)));
      const codes = [...new Set([...scenario.centers.flatMap((c) => c.areaCodes), ...Object.keys(scenario.callers.areaCodes)])];
      const signaling = new ServeSignaling(codes, { maxCalls: args['max-calls'] });
      const model = new HotlineModel(scenario, clock, new RandomStreams(scenario.seed), collector, signaling, true);
      signaling.bind((areaCode) => model.incoming(areaCode), clock);
      const problems = { count: 0 };
      const onProblem = (): void => {
        problems.count++;
      };
      const maxMessageSize = args['max-message-size'];
      const closers: (() => Promise<void>)[] = [];
      const listening: string[] = [];
      try {
        if (udp !== null) {
          // the user agent needs the bound address; nothing arrives before the await resumes
          let ua: UserAgent<Call> | undefined;
          const t = await UdpTransport.bind({ ...udp, maxMessageSize: Math.min(maxMessageSize, 65507), onMessage: (m, f) => ua?.receive(m, f), onProblem });
          ua = new UserAgent<Call>(sipClock, t, { address: t.address, name: 'su', product: 'callsim' }, { invite: signaling.invite, problem: onProblem });
          signaling.add(ua);
          closers.push(() => t.close());
          listening.push(`udp sip:12333@${t.address}`);
        }
        if (ws !== null) {
          let ua: UserAgent<Call> | undefined;
          const t = await WsServerTransport.listen({ ...ws, maxMessageSize, onMessage: (m, f) => ua?.receive(m, f), onProblem });
          ua = new UserAgent<Call>(sipClock, t, { address: t.address, transport: 'WS', name: 'sw', product: 'callsim', contactParams: ';transport=ws' }, { invite: signaling.invite, problem: onProblem });
          signaling.add(ua);
          closers.push(() => t.close());
          listening.push(`ws ${t.url}`);
        }
      } catch (e) {
        for (const c of closers) await c();
        clock.close();
        sipClock.close();
        const why = e instanceof Error ? e.message : String(e);
        throw new UsageError(`cannot listen: ${why}`);
      }

      // the scenario starts now, not when the clock was built, before the collector (0.2 s) and
      // the sockets (a call that came in meanwhile keeps the clock as it is: it is running)
      clock.restart();
      const started = performance.now();
      model.start();
      // with --speed, --duration is scenario time: say what it is in real time too
      const bound = args.speed === 1 ? args.duration ?? 'the scenario duration' : `${formatDuration(limit)} of the scenario (${formatDuration(limit / args.speed)} real)`;
      if (!args.quiet) process.stderr.write(`callsim serve: ${scenario.name}; listening on ${listening.join(', ')}${args.speed === 1 ? '' : `; ${args.speed}x real time`}; stops after ${bound} or on Ctrl-C\n`);

      const stop = await new Promise<'duration' | 'signal'>((resolve) => {
        const end = (why: 'duration' | 'signal'): void => {
          clock.cancel(timer);
          process.removeListener('SIGINT', onSignal);
          process.removeListener('SIGTERM', onSignal);
          resolve(why);
        };
        const onSignal = (): void => end('signal');
        const timer = clock.after(limit, end, 'duration' as const);
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });

      // Stop taking calls, cut the live ones (recorded as hung up now), let the BYEs go out.
      const cut = signaling.cut();
      await new Promise((r) => setTimeout(r, cut > 0 ? 200 : 0));
      model.finish();
      for (const c of closers) await c();
      clock.close();
      sipClock.close();

      const wallSeconds = (performance.now() - started) / 1000;
      const rep = { index: 0, seed: scenario.seed, collector, events: 0, endTime: clock.now(), partial: false };
      // Ctrl-C is how a server is stopped, so not partial; but the figures cover only the time served
      const summary = summarize(scenario, [rep], { partial: false, covered: rep.endTime, wallSeconds, now: new Date() });
      collector.destroy();
      if (args.out) {
        writeFileSync(join(args.out, 'summary.json'), summaryJson(summary));
      }
      process.stdout.write(args.json ? summaryJson(summary) : formatConsoleSummary(summary, styleFor(process.stdout)));
      if (!args.quiet) {
        process.stderr.write(
          `callsim serve: stopped by ${stop === 'signal' ? 'a signal' : '--duration'} after ${wallSeconds.toFixed(1)} s` +
            `${args.speed === 1 ? '' : ` (${formatDuration(Math.round(rep.endTime))} of the scenario covered at ${args.speed}x)`}; ` +
            `${counted(signaling.counts.accepted, 'call')} taken, ${signaling.counts.overLimit} refused over the limit, ${cut} cut at the end, ` +
            `${counted(problems.count, 'transport problem')}` +
            (args.out ? `; wrote ${join(args.out, 'summary.json')}` : '') + '\n',
        );
      }
      setCode(summary.pass ? EXIT.ok : EXIT.slaFailed);
    },
  };
}

/** The smallest --max-message-size: what RFC 3261 §18.1.1 lets a client send over UDP without a congestion-controlled transport. */
const MIN_MESSAGE_SIZE = 1300;

/** `1 call`, `2 calls`. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
