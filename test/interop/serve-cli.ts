// Runs `callsim serve` as a child process on ephemeral loopback ports and reads back where
// it listens (its first stderr line) and, after it stops, its summary.json (--json).

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Summary } from '../../sim/metrics/summary.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(root, 'dist/bin/callsim.js');

export interface Server {
  readonly udp: string;
  readonly ws: string;
  /** SIGINT, then the summary it printed and its exit code. */
  stop(): Promise<{ summary: Summary; code: number | null; stderr: string }>;
  readonly child: ChildProcess;
}

export function startServe(scenario: string, extra: string[] = []): Promise<Server> {
  const duration = extra.includes('--duration') ? [] : ['--duration', '10m'];
  const child = spawn(process.execPath, [CLI, 'serve', scenario, '--udp', '127.0.0.1:0', '--ws', '127.0.0.1:0', '--json', ...duration, ...extra], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on udp sip:12333@(\S+), ws (\S+);/.exec(stderr);
      if (m && timer) {
        clearTimeout(timer);
        resolveStart({
          udp: m[1]!,
          ws: m[2]!,
          child,
          stop: async () => {
            child.kill('SIGINT');
            const code = await exited;
            return { summary: JSON.parse(stdout) as Summary, code, stderr };
          },
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}
