// The summary a person reads in a terminal: what was simulated, the calls, the per-call
// times, the rates and one ✓/✗ line per SLA with its observed value. Colour only on a
// TTY and never with NO_COLOR.

import type { Summary } from '../sim/metrics/summary.js';
import { formatDuration } from '../sim/scenario/units.js';

export interface ConsoleStyle {
  readonly color: boolean;
}

export function styleFor(stream: NodeJS.WriteStream): ConsoleStyle {
  return { color: Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb' };
}

const paint = (on: boolean, code: number, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return x.toPrecision(digits);
}

function seconds(x: number, unit: 's' | 'rings'): string {
  if (!Number.isFinite(x)) return '-';
  if (unit === 'rings') return Number.isInteger(x) ? String(x) : x.toFixed(2);
  return x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0);
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '-';
}

function table(rows: string[][], rightAlignFrom = 1): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => (i >= rightAlignFrom ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export function formatConsoleSummary(s: Summary, style: ConsoleStyle): string {
  const out: string[] = [];
  const reps = s.scenario.replications;
  out.push(
    `${s.scenario.name} (${s.scenario.file}): ${formatDuration(s.scenario.duration)} simulated, seed ${s.scenario.seed}` +
      (reps > 1 ? `, ${reps} replications (95 % intervals across them)` : '') +
      (s.partial ? paint(style.color, 33, '  [PARTIAL: interrupted]') : ''),
  );
  const t = s.totals;
  out.push(
    `calls: ${num(t.offered)} offered, ${num(t.connected)} connected, ${num(t.answered)} answered by agents, ` +
      `${num(t.abandoned)} abandoned, ${num(t.blocked)} blocked, ${num(t.redials)} redials, ${num(t.uniqueCallers)} unique callers`,
  );
  if ((t.stranded ?? 0) > 0) out.push(paint(style.color, 33, `warning: ${num(t.stranded)} callers were still waiting when no agent was left to answer; counted as abandoned`));
  out.push('');
  const rows: string[][] = [['metric', 'count', 'mean', 'p50', 'p90', 'p95', 'p99', 'max', reps > 1 ? 'mean 95% CI' : '']];
  for (const [name, m] of Object.entries(s.metrics)) {
    rows.push([
      `${name}${m.unit === 's' ? ' (s)' : ' (rings)'}`,
      num(m.count),
      seconds(m.mean, m.unit),
      seconds(m.p50, m.unit),
      seconds(m.p90, m.unit),
      seconds(m.p95, m.unit),
      seconds(m.p99, m.unit),
      seconds(m.max, m.unit),
      m.ci95 ? `${seconds(m.ci95.low, m.unit)}..${seconds(m.ci95.high, m.unit)}` : '',
    ]);
  }
  out.push(table(rows));
  out.push('');
  const rateRows: string[][] = [['rate', 'value', 'numerator / denominator', reps > 1 ? '95% CI' : '']];
  for (const [name, r] of Object.entries(s.rates)) {
    const label = name.startsWith('service_level(') ? `${name} [${s.scenario.serviceLevel.definition}]` : name;
    rateRows.push([
      label,
      pct(r.value),
      `${num(r.numerator, 6)} / ${num(r.denominator, 6)}`,
      r.ci95 ? `${pct(r.ci95.low)}..${pct(r.ci95.high)}` : '',
    ]);
  }
  out.push(table(rateRows));
  out.push('');
  if (s.ivr) {
    const ivr = s.ivr;
    out.push(
      `IVR: ${num(ivr.answered)} calls answered, ${num(ivr.selfService)} self-service branches, ` +
        `${num(ivr.voicemails)} voice messages, ${num(ivr.invalidKeys)} invalid keys`,
    );
    out.push(`  visits: ${Object.entries(ivr.visits).map(([menu, n]) => `${menu} ${num(n)}`).join(', ')}`);
    out.push('  most common paths:');
    for (const p of ivr.topPaths.slice(0, 5)) out.push(`    ${pct(p.share).padStart(7)}  ${p.path}`);
    out.push('');
  }
  if (s.slas.length === 0) {
    out.push('SLAs: none in this scenario');
  } else {
    out.push('SLAs:');
    for (const sla of s.slas) {
      const mark = sla.pass ? paint(style.color, 32, '✓') : paint(style.color, 31, '✗');
      const observed = sla.observed === null ? 'no data' : num(sla.observed, 5);
      out.push(`  ${mark} ${sla.metric}: ${sla.expr}   observed ${observed}${sla.detail ? ` (${sla.detail})` : ''}`);
    }
    const failed = s.slas.filter((x) => !x.pass).length;
    out.push(failed === 0 ? paint(style.color, 32, 'all SLAs held') : paint(style.color, 31, `${failed} of ${s.slas.length} SLAs failed`));
  }
  return `${out.join('\n')}\n`;
}
