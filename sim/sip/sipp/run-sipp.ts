// Runs the `sipp` binary (Debian package `sip-tester`) with bounded calls and time, and
// reads its per-call <log> output. Never uses -bg: the child is ours, and is killed
// (SIGTERM, then SIGKILL) if it outlives a hard wall-clock bound.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scheduled, Scheduler } from '../../kernel/clock.js';
import { WallClockScheduler } from '../../kernel/wall-clock.js';
import { parseSippLog, type ParsedSippLog } from './log-parser.js';

/** The kernel's ephemeral range, where a bind to port 0 lands (Linux's default if unreadable). */
function ephemeralRange(): [number, number] {
  try {
    const m = /^(\d+)\s+(\d+)/.exec(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'));
    if (m) return [Number(m[1]), Number(m[2])];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

function bindsFree(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    s.on('error', () => {
      s.close();
      resolve(undefined);
    });
    s.bind(port, host, () => {
      const got = s.address().port;
      s.close(() => resolve(got));
    });
  });
}

/** Where this process looks for its next free port, counted from the bottom of the span. */
let nextProbe: number | undefined;

/**
 * A UDP port free on `host` (default 127.0.0.1) right now, for SIPp's -p (it needs a number).
 * It is taken below the kernel's ephemeral range when there is room: between this check and
 * SIPp's bind, any socket anywhere that binds port 0 could otherwise be handed the same port
 * (it happened, once, to a test on CI). Only another process's caller of this function
 * reaching the same one of some 12,000 ports in the same few milliseconds still could;
 * `localPort: 'free'` retries then.
 */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const [low] = ephemeralRange();
  const from = Math.min(20_000, Math.floor(low / 2));
  const span = low - from;
  if (span >= 1000) {
    // no randomness needed: each process starts at its own place (7919 is a prime, so unless
    // the span is a multiple of it, pids less than a span apart start apart) and walks on
    nextProbe ??= (process.pid * 7919) % span;
    for (let i = 0; i < 20; i++) {
      const got = await bindsFree(from + (nextProbe++ % span), host);
      if (got !== undefined) return got;
    }
  }
  const any = await bindsFree(0, host);
  if (any === undefined) throw new Error(`no UDP port could be bound on ${host}`);
  return any;
}

/** SIPp's exit code when it could not bind a socket (-2). */
const EXIT_BIND_ERROR = 254;

export class SippMissingError extends Error {
  override name = 'SippMissingError';
}

export interface SippVersion {
  /** e.g. "3.6.1" */
  version: string;
  major: number;
  minor: number;
  patch: number;
  /** The full banner line, e.g. "SIPp v3.6.1-SCTP-PCAP-RTPSTREAM." */
  banner: string;
}

/** Runs `sipp -v`; rejects with SippMissingError (and how to install it) if sipp is absent or unusable. */
export function sippVersion(sippPath = 'sipp'): Promise<SippVersion> {
  return new Promise((resolve, reject) => {
    execFile(sippPath, ['-v'], { timeout: 5000 }, (err, stdout, stderr) => {
      const text = `${stdout}\n${stderr}`;
      const m = /SIPp v(\d+)\.(\d+)(?:\.(\d+))?[^\s]*/.exec(text);
      if (!m) {
        const why = err && (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH' : `\`${sippPath} -v\` printed no version`;
        reject(new SippMissingError(`SIPp is required but ${why} (${sippPath}). Install it: apt-get install sip-tester`));
        return;
      }
      const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
      resolve({ version: `${major}.${minor}.${patch}`, major, minor, patch, banner: m[0] });
    });
  });
}

export interface SippRunOptions {
  /** The scenario XML (written to a temporary file). */
  scenarioXml: string;
  /** UAC only: the target, "host:port". A UAS run leaves it out. */
  remote?: string;
  /** Local address to bind (-i); default 127.0.0.1. */
  localIp?: string;
  /**
   * Local SIP port (-p). 'free': one chosen with freeUdpPort, and if SIPp still finds it taken
   * (exit 254, "Unable to bind main socket"), another, up to five times; the result says which.
   */
  localPort: number | 'free';
  /** How `localPort: 'free'` picks a port on the local address; default freeUdpPort. */
  pickPort?: (host: string) => Promise<number>;
  /** Maximum number of calls (-m); required so every run is bounded. */
  calls: number;
  /** Call rate per second (-r, UAC). */
  rate?: number;
  /** Global timeout in seconds (-timeout Ns -timeout_error). */
  timeoutS: number;
  /** Receive timeout per expected message in ms (-recv_timeout); a call missing a response fails after this. */
  recvTimeoutMs?: number;
  /** Scheduler timer resolution in ms (-timer_resol); SIPp's default is 10. */
  timerResolMs?: number;
  /** Hard wall-clock bound in ms after which the child is killed; default timeoutS*1000 + 3000. */
  hardKillMs?: number;
  /** More sipp arguments. */
  extraArgs?: string[];
  /**
   * An injection file (CSV, `SEQUENTIAL` on its first line), written beside the scenario and
   * passed as `-inf`: its fields are `[field0]`, `[field1]`... of each call.
   */
  injectionCsv?: string | Iterable<string>;
  /** Most characters of the error log (-trace_err) kept in `errors`, from its end; default 8000. */
  errorsMaxChars?: number;
  /**
   * For logs too big to hold as one string (a long load run): called with the paths of the
   * per-call log and the error log once sipp has exited, before its directory is removed.
   * `logText` and `errors` are then left empty.
   */
  readFiles?: (files: { readonly log: string; readonly errors: string }) => Promise<void>;
  sippPath?: string;
  /** Keep the temporary directory (scenario, logs) for inspection. */
  keepFiles?: boolean;
  /**
   * The clock of the bounds and of `wallMs`. SIPp is a real process, so this is real time:
   * by default a wall-clock Scheduler of this run's own (its timers never keep the process alive).
   */
  clock?: Scheduler;
}

export interface SippRunResult {
  /** sipp's exit code (0 all calls OK, 1 some failed, 97/99 other ends, 255/254 fatal), null if killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True if the hard wall-clock bound was hit and the child was killed. */
  killed: boolean;
  wallMs: number;
  args: string[];
  version: SippVersion;
  /** The raw <log> file and its parse. */
  logText: string;
  log: ParsedSippLog;
  /** Last part of sipp's stdout/stderr (screens, errors). */
  output: string;
  /** The error log (-trace_err), if any. */
  errors: string;
  dir: string;
  /** The local SIP port SIPp ran on (the one chosen, for `localPort: 'free'`). */
  localPort: number;
}

export interface SippProcess {
  /** The child's pid (of the latest attempt, for `localPort: 'free'`). */
  readonly pid: number | undefined;
  /** Resolves when sipp has exited and its logs were read. */
  done: Promise<SippRunResult>;
  /** Terminates the child now (SIGTERM, then SIGKILL). */
  stop(): void;
  /**
   * Ctrl-C for a UAC: SIGUSR1 (SIPp places no more calls; the live ones go on); after
   * `finishMs` (default 100; sooner if SIPp exits, its calls done), SIGUSR1 again (it aborts
   * the calls still live with CANCEL or BYE), then SIGTERM half a second later and SIGKILL a
   * second after that. SIPp 3.6.1 aborts the calls on the second SIGUSR1 but then never exits
   * (its count of current calls stays up), hence the SIGTERM; it still writes its logs out.
   */
  interrupt(finishMs?: number): void;
}

function tail(s: string, n = 8000): string {
  return s.length > n ? s.slice(-n) : s;
}

async function readOr(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** sipp processes running, each in a process group of its own (see startSipp's launch). */
const liveSipp = new Set<ChildProcess>();

/**
 * Kills every sipp still running (SIGKILL): when this process exits, since they are not in
 * its process group and would otherwise run on until their -timeout.
 */
function killLiveSipp(): void {
  for (const c of liveSipp) c.kill('SIGKILL');
}

function track(c: ChildProcess): void {
  if (liveSipp.size === 0) process.once('exit', killLiveSipp);
  liveSipp.add(c);
  c.once('close', () => {
    liveSipp.delete(c);
    if (liveSipp.size === 0) process.removeListener('exit', killLiveSipp);
  });
}

/** Starts sipp (after checking `sipp -v`); the returned `done` settles when it exits. */
export async function startSipp(o: SippRunOptions): Promise<SippProcess> {
  const sippPath = o.sippPath ?? 'sipp';
  const version = await sippVersion(sippPath);
  if (!Number.isInteger(o.calls) || o.calls < 1) throw new RangeError('calls must be a positive integer');
  if (!(o.timeoutS > 0)) throw new RangeError('timeoutS must be positive');
  const dir = await mkdtemp(join(tmpdir(), 'callsim-sipp-'));
  const scenario = join(dir, 'scenario.xml');
  const logFile = join(dir, 'calls.log');
  const errFile = join(dir, 'errors.log');
  await writeFile(scenario, o.scenarioXml);
  const injection = join(dir, 'injection.csv');
  if (o.injectionCsv !== undefined) await writeFile(injection, o.injectionCsv);
  const localIp = o.localIp ?? '127.0.0.1';
  const choose = o.localPort === 'free';
  const argsFor = (port: number): string[] => [
    ...(o.remote !== undefined ? [o.remote] : []),
    '-sf', scenario,
    '-i', localIp,
    // SIPp's remote-control socket would otherwise listen on 0.0.0.0:8888 (or the next free
    // port); SIPp 3.6.1 opens it as IPv4 only, so 127.0.0.1 whatever the SIP address
    '-ci', '127.0.0.1',
    '-p', String(port),
    '-m', String(o.calls),
    ...(o.rate !== undefined ? ['-r', String(o.rate)] : []),
    '-timeout', `${Math.ceil(o.timeoutS)}s`, '-timeout_error',
    ...(o.recvTimeoutMs !== undefined ? ['-recv_timeout', String(Math.round(o.recvTimeoutMs))] : []),
    ...(o.timerResolMs !== undefined ? ['-timer_resol', String(Math.round(o.timerResolMs))] : []),
    '-nostdin',
    ...(o.injectionCsv !== undefined ? ['-inf', injection] : []),
    '-trace_logs', '-log_file', logFile,
    '-trace_err', '-error_file', errFile,
    ...(o.extraArgs ?? []),
  ];
  // SIPp is a real process: its bounds are real-time bounds, kept on a Scheduler like every
  // other time under sim/ (the wall clock's, unless the caller gives one).
  const own = o.clock === undefined ? new WallClockScheduler({ unref: true }) : undefined;
  const clock = o.clock ?? own!;
  const started = clock.now();
  let output = '';
  const take = (b: Buffer): void => {
    output = tail(output + b.toString('latin1'), 64000);
  };
  const pick = o.pickPort ?? freeUdpPort;
  // an address where nothing can be bound: SIPp says why in its own words (exit 254)
  const pickOr0 = (): Promise<number> => pick(localIp).catch(() => 0);
  let port = choose ? await pickOr0() : (o.localPort as number);
  let args = argsFor(port);
  let attempts = 1;
  const launch = (): ChildProcess => {
    // In a process group of its own: a terminal's Ctrl-C goes to its whole foreground group,
    // and SIPp's own SIGINT handler quits at once, neither CANCELling nor BYEing its live calls
    // (they stay up at the target) nor logging them (they were not counted). So Ctrl-C reaches
    // callsim alone, which stops SIPp in order (interrupt); SIPp still ends with this process
    // (killLiveSipp) and, should this process be killed outright, by its own -timeout.
    const c = spawn(sippPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    track(c);
    c.stdout.on('data', take);
    c.stderr.on('data', take);
    return c;
  };
  let child = launch();
  let killed = false;
  let interrupted = false;
  let killTimer: Scheduled | undefined;
  // asked to stop (or interrupted) while no child runs, between two attempts: launch none
  let stopAsked = false;
  const stop = (): void => {
    stopAsked = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    killed = true;
    child.kill('SIGTERM');
    killTimer = clock.after(1, () => child.kill('SIGKILL'), undefined);
  };
  let graceTimer: Scheduled | undefined;
  let secondTimer: Scheduled | undefined;
  const interrupt = (finishMs = 100): void => {
    interrupted = true;
    if (child.exitCode !== null || child.signalCode !== null || secondTimer !== undefined) return;
    // the first SIGUSR1 stops new calls, the second aborts the live ones (quitting > 11 in
    // sipp.cpp); at least 100 ms apart, as two pending signals of one kind merge into one
    child.kill('SIGUSR1');
    secondTimer = clock.after(Math.max(100, finishMs) / 1000, () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGUSR1');
      graceTimer = clock.after(0.5, stop, undefined);
    }, undefined);
  };
  const hard = clock.after((o.hardKillMs ?? o.timeoutS * 1000 + 3000) / 1000, stop, undefined);
  const release = (): void => {
    clock.cancel(hard);
    if (killTimer) clock.cancel(killTimer);
    if (graceTimer) clock.cancel(graceTimer);
    if (secondTimer) clock.cancel(secondTimer);
    own?.close();
  };
  const done = new Promise<SippRunResult>((resolve, reject) => {
    const watch = (c: ChildProcess): void => {
      c.on('error', (e) => {
        release();
        reject(e);
      });
      c.on('close', (code, signal) => {
        if (choose && port !== 0 && code === EXIT_BIND_ERROR && attempts < 5 && !stopAsked && !interrupted && /Unable to bind main socket/.test(output)) {
          // someone took the port between freeUdpPort and SIPp's bind: another one
          attempts++;
          void pickOr0().then((p) => {
            if (stopAsked || interrupted) return finish(code, signal);
            output = '';
            port = p;
            args = argsFor(port);
            child = launch();
            watch(child);
          });
          return;
        }
        finish(code, signal);
      });
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      const wallMs = (clock.now() - started) * 1000;
      release();
      void (async () => {
        let logText = '';
        let errors = '';
        try {
          if (o.readFiles) await o.readFiles({ log: logFile, errors: errFile });
          else [logText, errors] = [await readOr(logFile), await readOr(errFile)];
        } finally {
          if (!o.keepFiles) await rm(dir, { recursive: true, force: true });
        }
        resolve({
          exitCode: code,
          signal,
          killed,
          wallMs,
          args,
          version,
          logText,
          log: parseSippLog(logText),
          output: tail(output),
          errors: tail(errors, o.errorsMaxChars ?? 8000),
          dir,
          localPort: port,
        });
      })().catch(reject);
    };
    watch(child);
  });
  return {
    get pid() {
      return child.pid;
    },
    done,
    stop,
    interrupt,
  };
}

/** Runs sipp to completion (bounded by -m, -timeout and the hard kill). */
export async function runSipp(o: SippRunOptions): Promise<SippRunResult> {
  return (await startSipp(o)).done;
}
