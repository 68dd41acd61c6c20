// Headless Chromium driven over the DevTools protocol, for tests that look at a page as a
// person would: open a local file, collect console errors, exceptions and network requests,
// evaluate a script, take a full-page screenshot. Debian's `chromium` package; `.ci/run`
// installs it. Only loopback: the DevTools endpoint listens on 127.0.0.1, on a port of 0.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import WebSocket from 'ws';

/** Where the chromium binary is, or undefined when it is not installed. */
export function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const p = join(dir, name);
      if (dir && existsSync(p)) return p;
    }
  }
  return undefined;
}

export const CHROMIUM_MISSING =
  'chromium is not installed: the HTML report test needs it (Debian: `apt-get install -y chromium`; .ci/run installs it)';

type Params = Record<string, unknown>;

/** Kills the browser's process group (the one this module started), the wrapper script and Chromium under it. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Params;
  readonly result?: Params;
  readonly error?: { readonly message: string };
  readonly sessionId?: string;
}

/** The fields of the DevTools events this client reads. */
interface EventParams {
  readonly type?: string;
  readonly args?: readonly { readonly value?: unknown; readonly description?: string }[];
  readonly exceptionDetails?: { readonly text?: string; readonly exception?: { readonly description?: string } };
  readonly entry?: { readonly level?: string; readonly text?: string; readonly url?: string };
  readonly request?: { readonly url?: string };
}

/** What a page did while it loaded. */
export interface PageLog {
  /** Console errors, uncaught exceptions and error log entries, as text. */
  readonly errors: string[];
  /** URLs the page requested. */
  readonly requests: string[];
}

export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Params) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: Message) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profile: string,
  ) {
    socket.on('message', (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Message;
      if (m.id !== undefined) {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error.message));
        else p?.resolve(m.result ?? {});
      } else for (const l of this.listeners) l(m);
    });
  }

  /** Starts headless Chromium; throws with CHROMIUM_MISSING when there is none. */
  static async launch(timeoutMs = 20_000): Promise<Chromium> {
    const bin = findChromium();
    if (!bin) throw new Error(CHROMIUM_MISSING);
    const profile = mkdtempSync(join(tmpdir(), 'callsim-chromium-'));
    const child = spawn(
      bin,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-extensions',
        '--no-first-run',
        '--no-default-browser-check',
        '--hide-scrollbars',
        '--remote-debugging-address=127.0.0.1',
        '--remote-debugging-port=0',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      // Its own process group: Debian's /usr/bin/chromium is a shell script that does not exec,
      // so a kill must reach the browser under it.
      { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not start within ${timeoutMs} ms:\n${stderr.slice(-2000)}`)), timeoutMs);
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`chromium exited (${code}) before it listened:\n${stderr.slice(-2000)}`));
      });
    }).catch((e: unknown) => {
      killGroup(child);
      rmSync(profile, { recursive: true, force: true });
      throw e;
    });
    child.stderr!.resume();
    const socket = new WebSocket(endpoint, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new Chromium(child, socket, profile);
  }

  /** Sends a DevTools command (to a page when `sessionId` is given) and waits for its result. */
  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
    });
  }

  /** Opens `url` in a new tab of `width` px, waits for the load event, and returns the tab and what it logged. */
  async open(url: string, width = 1200, timeoutMs = 20_000): Promise<{ session: string; log: PageLog }> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const log: PageLog = { errors: [], requests: [] };
    let loaded: () => void = () => {};
    const load = new Promise<void>((resolve) => (loaded = resolve));
    this.listeners.add((m) => {
      if (m.sessionId !== sessionId || !m.params) return;
      const p = m.params as EventParams;
      if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) {
        log.errors.push(`console.${p.type}: ${(p.args ?? []).map((a) => String(a.value ?? a.description)).join(' ')}`);
      } else if (m.method === 'Runtime.exceptionThrown') {
        log.errors.push(`exception: ${p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text}`);
      } else if (m.method === 'Log.entryAdded' && p.entry?.level === 'error') {
        log.errors.push(`log: ${p.entry.text ?? ''}${p.entry.url ? ` (${p.entry.url})` : ''}`);
      } else if (m.method === 'Network.requestWillBeSent') {
        log.requests.push(String(p.request?.url));
      } else if (m.method === 'Page.loadEventFired') {
        loaded();
      }
    });
    for (const domain of ['Runtime', 'Log', 'Page', 'Network']) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    await this.send('Page.navigate', { url }, sessionId);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      load,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${url} did not load within ${timeoutMs} ms`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    return { session: sessionId, log };
  }

  /** Evaluates `expression` in the page and returns its value (JSON-serialisable). */
  async evaluate<T>(session: string, expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, session)) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** A PNG of the whole page, beyond the viewport. */
  async screenshot(session: string): Promise<Buffer> {
    const size = await this.evaluate<{ width: number; height: number }>(
      session,
      '({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })',
    );
    const { data } = (await this.send(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: size.width, height: size.height, scale: 1 } },
      session,
    )) as { data: string };
    return Buffer.from(data, 'base64');
  }

  /** Closes the browser (and kills it if it lingers), and removes its profile. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    await this.send('Browser.close').catch(() => undefined);
    this.socket.close();
    const timer = setTimeout(() => killGroup(this.child), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
