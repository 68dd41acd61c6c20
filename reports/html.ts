// report.html: one self-contained page (inline CSS and SVG, no script, no network) that a
// person can read without callsim, on screen or on paper: what was run, the SLA verdicts
// with observed values and 95 % intervals, the key figures, the charts of html-charts.ts,
// tables per center, per agent group and per IVR menu, and how to reproduce the run.
// It reads summary.json alone, so `callsim report` can re-render it from a saved file.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SlaResult } from '../sim/metrics/sla.js';
import type { Summary } from '../sim/metrics/summary.js';
import { serviceLevelKey } from '../sim/scenario/metric-names.js';
import { formatDuration } from '../sim/scenario/units.js';
import {
  connectRateChart,
  ivrPathsChart,
  loadChart,
  occupancyChart,
  percentileChart,
  serviceLevelChart,
  slaKind,
  volumeChart,
} from './html-charts.js';
import { count, intervalWord, num, pct, precise, secs } from './html-format.js';
import { esc } from './html-svg.js';

/** The file name `--out DIR` and `callsim report` write. */
export const REPORT_FILE = 'report.html';

const CSS = `
:root { --ink: #1b1b1b; --muted: #555; --rule: #d4d4d4; --pass: #0072B2; --fail: #D55E00; --warn-bg: #fff3d6; --band: #ececec; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 20px 24px 40px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 16px 0 6px; }
p { margin: 6px 0; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { background: #f4f4f4; padding: 8px 10px; overflow-x: auto; border-left: 3px solid var(--rule); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.verdict { font-size: 17px; font-weight: 700; padding: 10px 14px; margin: 12px 0; border: 2px solid; border-radius: 4px; }
.verdict.pass { color: var(--pass); border-color: var(--pass); background: #eef6fb; }
.verdict.fail { color: var(--fail); border-color: var(--fail); background: #fdf0e8; }
.partial { font-size: 17px; font-weight: 700; padding: 12px 14px; margin: 12px 0; border: 3px double #8a5a00; background: var(--warn-bg); color: #5c3c00; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: right; vertical-align: top; }
th { font-weight: 600; border-bottom: 2px solid var(--ink); }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
.wide-table { overflow-x: auto; }
.status { font-weight: 700; white-space: nowrap; }
.status.pass { color: var(--pass); }
.status.fail { color: var(--fail); }
tr.failed td { background: #fdf0e8; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 8px 0; }
.card { border: 1px solid var(--rule); border-radius: 4px; padding: 8px 10px; }
.card .v { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .k { color: var(--muted); font-size: 12px; }
figure { margin: 10px 0 16px; }
figcaption { color: var(--muted); font-size: 12.5px; max-width: 760px; }
svg.chart { max-width: 100%; height: auto; display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
svg .tick { font-size: 10.5px; fill: #333; }
svg .legend { font-size: 11px; fill: #222; }
svg .axis-label { font-size: 11px; fill: #333; }
svg .bar-label { font-size: 11px; fill: #222; }
svg .cell-label { font-size: 9px; }
svg .band-label { font-size: 10px; fill: #555; }
svg .grid { stroke: #e3e3e3; stroke-width: 1; }
svg .axis { stroke: #333; stroke-width: 1; }
svg .band { fill: var(--band); }
svg .empty-cell { fill: #fff; stroke: #d0d0d0; stroke-dasharray: 2 2; }
.row { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: flex-start; }
.row > figure { flex: 1 1 330px; max-width: 520px; }
.row > figure svg.chart, .multiples svg.chart { width: 100%; }
svg .heading { font-size: 13px; font-weight: 700; fill: #111; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 6px 16px; }
.multiples figure, .row figure { margin: 4px 0; }
.no-data { color: var(--muted); font-style: italic; }
nav { font-size: 13px; margin: 6px 0 0; }
nav a { color: var(--pass); margin-right: 12px; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
footer h2 { color: var(--ink); }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, table, .cards, .verdict, .partial { break-inside: avoid; }
  .multiples { grid-template-columns: repeat(2, 1fr); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;

/** A shell word: as is when it is plain, single-quoted otherwise. */
function shellWord(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function header(s: Summary): string {
  const sc = s.scenario;
  const reps = num(sc.replications);
  const failed = (s.slas ?? []).filter((x) => !x.pass).length;
  const total = (s.slas ?? []).length;
  const verdict =
    total === 0
      ? `<div class="verdict pass">No SLAs in this scenario.</div>`
      : s.pass
        ? `<div class="verdict pass">✓ PASS: all ${total} SLAs held.</div>`
        : `<div class="verdict fail">✗ FAIL: ${failed} of ${total} SLAs failed.</div>`;
  const partial = s.partial
    ? `<div class="partial" role="alert">⚠ PARTIAL RESULTS: the run was interrupted before it finished. Every figure below covers only what ran, and the SLA verdicts may change on a full run.</div>`
    : '';
  const meta: [string, string][] = [
    ['scenario', `${esc(sc.name)}${sc.file ? ` (<code>${esc(sc.file)}</code>)` : ''}`],
    ['seed', esc(String(sc.seed))],
    [
      'replications',
      esc(reps > 1 ? `${reps} (seeds ${(sc.seeds ?? []).join(', ')}); 95 % intervals are across replications` : String(Number.isFinite(reps) ? reps : 1)),
    ],
    ['start', esc(sc.start)],
    ['duration', esc(`${formatDuration(num(sc.duration))}${num(sc.warmup) > 0 ? `, of which warm-up ${formatDuration(num(sc.warmup))} (not counted in the totals)` : ''}`)],
    ...(typeof s.covered === 'number'
      ? [['covered', esc(`its first ${formatDuration(Math.round(s.covered * 1000) / 1000)}: the server or load run stopped there, and every figure covers only that`)] as [string, string]]
      : []),
    ['intervals', esc(formatDuration(num(s.intervals?.length)))],
    ['service level', esc(`${serviceLevelKey(num(sc.serviceLevel?.threshold))}, definition '${sc.serviceLevel?.definition}'`)],
  ];
  if (s.timing?.generatedAt) meta.push(['simulated', esc(`${s.timing.generatedAt} in ${secs(s.timing.wallSeconds)} of wall time (${count(s.timing.events)} events)`)]);
  return (
    `<header><h1>callsim report: ${esc(sc.name)}</h1>` +
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>` +
    partial +
    verdict +
    `<nav><a href="#slas">SLAs</a><a href="#calls">calls</a><a href="#service">service level</a><a href="#waits">waiting times</a>` +
    `<a href="#centers">centers</a><a href="#occupancy">occupancy</a><a href="#ivr">IVR</a><a href="#reproduce">reproduce</a></nav></header>`
  );
}

/** An SLA figure in its unit: seconds, a percentage or a plain count. */
function slaValue(kind: ReturnType<typeof slaKind>, x: unknown): string {
  if (!Number.isFinite(num(x))) return '–';
  if (kind === 'rate') return `${precise(num(x) * 100)}%`;
  if (kind === 'duration') return `${precise(x)} s`;
  return precise(x);
}

/** The SLA's 95 % interval, when the summary has one for what it judges (a rate, or a mean). */
function slaInterval(s: Summary, sla: SlaResult, kind: ReturnType<typeof slaKind>): string {
  const reps = num(s.scenario.replications);
  const ci = kind === 'rate' ? s.rates?.[sla.key]?.ci95 : /^\s*(avg|mean)\b/.test(sla.expr) ? s.metrics?.[sla.key]?.ci95 : undefined;
  if (ci && Number.isFinite(num(ci.low)) && Number.isFinite(num(ci.high))) return `${slaValue(kind, ci.low)} – ${slaValue(kind, ci.high)}`;
  return reps > 1 ? '<span title="intervals are computed for means and rates">n/a</span>' : '<span title="one replication: run with --replications N for intervals">–</span>';
}

function slaTable(s: Summary): string {
  const slas = s.slas ?? [];
  if (slas.length === 0) return '<p class="no-data">The scenario states no SLA.</p>';
  const rows = slas.map((sla) => {
    const kind = slaKind(sla);
    const mark = sla.pass ? '<span class="status pass">✓ pass</span>' : '<span class="status fail">✗ FAIL</span>';
    return (
      `<tr class="${sla.pass ? 'held' : 'failed'}"><td>${mark}</td><td class="text"><code>${esc(sla.metric)}</code></td>` +
      `<td class="text"><code>${esc(sla.expr)}</code></td><td>${esc(slaValue(kind, sla.observed))}</td><td>${esc(slaValue(kind, sla.threshold))}</td>` +
      `<td>${slaInterval(s, sla, kind)}</td><td class="text">${esc(sla.detail ?? '')}</td></tr>`
    );
  });
  return (
    `<div class="wide-table"><table class="slas"><thead><tr><th>verdict</th><th class="text">metric</th><th class="text">SLA</th>` +
    `<th>observed</th><th>threshold</th><th>95 % interval</th><th class="text">note</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>` +
    `<p>Observed values are over the whole run${num(s.scenario.warmup) > 0 ? ' after the warm-up' : ''}, pooled over the replications; ` +
    `the 95 % interval is across replications, for rates and means.</p>`
  );
}

function keyFigures(s: Summary): string {
  const t = s.totals ?? {};
  const slKey = serviceLevelKey(num(s.scenario.serviceLevel?.threshold));
  const cards: [string, string][] = [
    ['calls offered', count(t.offered)],
    ['answered by an agent', count(t.answered)],
    ['abandoned in queue', count(t.abandoned)],
    ['blocked', count(t.blocked)],
    [slKey, pct(s.rates?.[slKey]?.value)],
    ['mean speed of answer (ASA)', secs(s.metrics?.speed_of_answer?.mean)],
    ['abandon rate', pct(s.rates?.abandon_rate?.value)],
    ['connect rate', pct(s.rates?.connect_rate?.value)],
    ['occupancy', pct(s.rates?.occupancy?.value)],
  ];
  if (s.ratings) cards.push(['mean rating (1–5)', num(s.ratings.mean).toFixed(2)]);
  return `<div class="cards">${cards.map(([k, v]) => `<div class="card"><div class="v">${esc(v)}</div><div class="k">${esc(k)}</div></div>`).join('')}</div>`;
}

function metricsTable(s: Summary): string {
  const reps = num(s.scenario.replications);
  const rows = Object.entries(s.metrics ?? {}).map(([name, m]) => {
    const f = (x: unknown): string => (m.unit === 'rings' ? precise(x) : secs(x).replace(/ s$/, ''));
    const ci = m.ci95 && Number.isFinite(num(m.ci95.low)) ? `${f(m.ci95.low)} – ${f(m.ci95.high)}` : '';
    return (
      `<tr><td><code>${esc(name)}</code> (${m.unit === 'rings' ? 'rings' : 's'})</td><td>${count(m.count)}</td><td>${f(m.mean)}</td>` +
      `<td>${f(m.p50)}</td><td>${f(m.p90)}</td><td>${f(m.p95)}</td><td>${f(m.p99)}</td><td>${f(m.max)}</td>${reps > 1 ? `<td>${ci}</td>` : ''}</tr>`
    );
  });
  return (
    `<div class="wide-table"><table><thead><tr><th>per-call time</th><th>count</th><th>mean</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>max</th>` +
    `${reps > 1 ? '<th>mean, 95 % interval</th>' : ''}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function centersTable(s: Summary): string {
  const slKey = serviceLevelKey(num(s.scenario.serviceLevel?.threshold));
  const rows = Object.entries(s.centers ?? {}).map(([id, c]) => {
    const t = c.totals ?? {};
    return (
      `<tr><td>${esc(id)}</td><td>${count(t.offered)}</td><td>${count(t.answered)}</td><td>${count(t.abandoned)}</td><td>${count(t.blocked)}</td>` +
      `<td>${pct(c.rates?.[slKey]?.value)}</td><td>${secs(c.metrics?.speed_of_answer?.mean)}</td><td>${pct(c.rates?.abandon_rate?.value)}</td>` +
      `<td>${pct(c.rates?.occupancy?.value)}</td><td>${count(t.dispatchedIn)}</td><td>${count(t.dispatchedOut)}</td></tr>`
    );
  });
  if (rows.length === 0) return '';
  return (
    `<div class="wide-table"><table><thead><tr><th>center</th><th>offered</th><th>answered</th><th>abandoned</th><th>blocked</th><th>${esc(slKey)}</th>` +
    `<th title="mean speed_of_answer">ASA</th><th>abandon rate</th><th>occupancy</th><th title="calls dispatched here from another center">disp. in</th>` +
    `<th title="calls dispatched from here to another center">disp. out</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function scorecardTable(s: Summary): string {
  const groups = s.scorecard?.groups ?? [];
  if (groups.length === 0) return '';
  const rows = groups.map(
    (g) =>
      `<tr><td>${esc(`${g.center}/${g.group}`)}</td><td>${count(g.agents)}</td><td>${count(g.answered)}</td><td>${pct(g.ringLimitShare)}</td>` +
      `<td>${count(g.holdViolations)}</td><td>${count(g.wrapUpViolations)}</td><td>${pct(g.occupancy)}</td><td>${count(g.ringNoAnswers)}</td>` +
      `<td>${Number.isFinite(num(g.meanRating)) ? num(g.meanRating).toFixed(2) : '–'}</td></tr>`,
  );
  return (
    `<h3>Agent scorecard by group</h3><div class="wide-table"><table><thead><tr><th>group</th><th>agents</th><th>answered</th>` +
    `<th>within ${esc(String(s.scorecard.ringLimit))} rings</th><th>hold violations</th><th>wrap-up violations</th><th>occupancy</th>` +
    `<th>rang out</th><th>mean rating</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function ivrSection(s: Summary): string {
  const ivr = s.ivr;
  const chart = ivrPathsChart(s);
  if (!ivr) return chart;
  const visits = Object.entries(ivr.visits ?? {})
    .map(([menu, n]) => `<tr><td><code>${esc(menu)}</code></td><td>${count(n)}</td></tr>`)
    .join('');
  return (
    chart +
    `<div class="row"><table><thead><tr><th>IVR</th><th>calls</th></tr></thead><tbody>` +
    `<tr><td>answered by the IVR</td><td>${count(ivr.answered)}</td></tr><tr><td>self-service branches</td><td>${count(ivr.selfService)}</td></tr>` +
    `<tr><td>voice messages</td><td>${count(ivr.voicemails)}</td></tr><tr><td>invalid keys</td><td>${count(ivr.invalidKeys)}</td></tr></tbody></table>` +
    `<table><thead><tr><th>menu</th><th>visits</th></tr></thead><tbody>${visits}</tbody></table></div>`
  );
}

function footer(s: Summary): string {
  const sc = s.scenario;
  const reps = num(sc.replications);
  const run = ['npx', 'callsim', 'run', ...(sc.file ? [sc.file] : []), '--seed', String(sc.seed), ...(reps > 1 ? ['--replications', String(reps)] : []), '--out', 'DIR'];
  return (
    `<footer id="reproduce"><h2>Reproduce</h2><p>The same seed replays the same run exactly:</p>` +
    `<pre><code>${esc(run.map(shellWord).join(' '))}</code></pre>` +
    `<p>add the same <code>--set path=value</code> overrides, if the original run had any (summary.json does not record them). ` +
    `<code>npx callsim report DIR/summary.json</code> re-renders this page from a saved summary. ` +
    `Metric definitions: <code>docs/metrics.md</code>; this page: <code>docs/report.md</code>.</p>` +
    `<p>summary.json format ${esc(String(s.callsim?.summaryFormat ?? '?'))}. Agents and callers waiting per interval are time averages${reps > 1 ? ' per replication' : ''}.</p></footer>`
  );
}

/** The whole report as one HTML document. */
export function renderHtml(s: Summary): string {
  const centers = Object.keys(s.centers ?? {});
  const body = [
    header(s),
    `<section id="slas"><h2>SLAs</h2>${slaTable(s)}</section>`,
    `<section id="calls"><h2>Calls</h2>${keyFigures(s)}${volumeChart(s)}</section>`,
    `<section id="service"><h2>Service level and connect rate</h2><div class="row">${serviceLevelChart(s)}${connectRateChart(s)}</div></section>`,
    `<section id="waits"><h2>Waiting times</h2><div class="row">` +
      percentileChart(s, 'queue_wait', 'queue_wait: entered an agent queue → answered or abandoned') +
      percentileChart(s, 'speed_of_answer', 'speed_of_answer: entered an agent queue → answered') +
      percentileChart(s, 'agent_ring', "agent_ring: the agent's phone rings → the agent answers") +
      `</div>${metricsTable(s)}</section>`,
    `<section id="centers"><h2>Queue and agents per center</h2>` +
      `<p>Time averages per ${esc(intervalWord(num(s.intervals?.length)))}; each panel has its own scale.</p>` +
      `<div class="multiples">${[loadChart(s, undefined), ...centers.map((id) => loadChart(s, id))].join('')}</div>${centersTable(s)}</section>`,
    `<section id="occupancy"><h2>Agent occupancy</h2>${occupancyChart(s)}${scorecardTable(s)}</section>`,
    `<section id="ivr"><h2>IVR paths</h2>${ivrSection(s)}</section>`,
    footer(s),
  ].join('\n');
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(`callsim report: ${s.scenario.name}${s.partial ? ' (partial)' : ''}`)}</title><style>${CSS}</style></head>\n` +
    `<body>\n${body}\n</body></html>\n`
  );
}

/** Writes DIR/report.html for a summary and returns its path. */
export function writeReport(dir: string, summary: Summary): string {
  const path = join(dir, REPORT_FILE);
  writeFileSync(path, renderHtml(summary));
  return path;
}
