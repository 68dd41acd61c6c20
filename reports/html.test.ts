import test from 'ava';
import fc from 'fast-check';
import { agentGroup, exp, queueScenario } from '../test/scenario-builder.js';
import { simulateOnce } from '../sim/metrics/simulate.js';
import { summarize, summaryJson, type Summary } from '../sim/metrics/summary.js';
import type { Scenario } from '../sim/scenario/types.js';
import { renderHtml } from './html.js';
import { prettyPath } from './html-charts.js';
import { esc, zeroBasedTicks } from './html-svg.js';

const NASTY_CENTER = '<b>"c"</b>&\'';
const base = queueScenario({ rate: 0.05, agents: 2, talk: exp(100), patience: exp(120), duration: 4 * 3600, interval: 1800 });
const scenario: Scenario = {
  ...base,
  name: '<script>alert("name")</script> & co',
  file: 'scenarios/<odd> name.yaml',
  sla: [
    { metric: 'queue_wait', expr: 'max <= 0s' }, // fails: somebody waits
    { metric: 'connect_rate', expr: '>= 0.5' },
    { metric: 'abandon_rate', expr: '<= 1' },
  ],
  centers: [
    { ...base.centers[0]!, id: NASTY_CENTER, groups: [agentGroup('g<1>', 2)] },
    { ...base.centers[0]!, id: 'plain', groups: [agentGroup('g', 1)] },
  ],
};

const ivr = {
  answered: 100,
  invalidKeys: 3,
  voicemails: 1,
  selfService: 10,
  visits: { main: 100, '<menu>': 20 },
  topPaths: [
    { path: 'welcome main =0 agent', calls: 60, share: 0.6 },
    { path: 'welcome <img/src=x/onerror=alert(1)>', calls: 40, share: 0.4 },
  ],
};

function run(reps = 1): Summary {
  const s = summarize(
    scenario,
    Array.from({ length: reps }, (_, i) => simulateOnce(scenario, 11 + i, i)),
    { now: new Date('2026-07-07T00:00:00Z'), wallSeconds: 1 },
  );
  return { ...s, ivr };
}

const summary = run();

/** The data-chart ids of a page, in order. */
const chartIds = (html: string): string[] => [...html.matchAll(/<svg data-chart="([^"]*)"/g)].map((m) => m[1]!);

const EXPECTED = [
  'volume',
  'service-level',
  'connect-rate',
  'percentiles-queue_wait',
  'percentiles-speed_of_answer',
  'percentiles-agent_ring',
  'load-all',
  `load-${esc(NASTY_CENTER)}`,
  'load-plain',
  'occupancy',
  'ivr-paths',
];

test('every chart is an <svg data-chart> with a title and data marks', (t) => {
  const html = renderHtml(summary);
  t.deepEqual(chartIds(html), EXPECTED);
  for (const svg of html.match(/<svg data-chart=[\s\S]*?<\/svg>/g) ?? []) {
    t.regex(svg, /^<svg [^>]*><title id="[^"]+">[^<]+<\/title>/, 'a title first');
    t.regex(svg, /class="mark"/, 'something drawn');
  }
  t.is((html.match(/<svg/g) ?? []).length, (html.match(/<\/svg>/g) ?? []).length);
});

test('the page is self-contained: no script, no external reference, nothing fetched', (t) => {
  const html = renderHtml(summary);
  t.notRegex(html, /<script/i);
  t.notRegex(html, /https?:\/\//);
  t.notRegex(html, /\s(src|href)="(?!#)/);
  t.notRegex(html, /<link|@import|@font-face/);
  t.notRegex(html, /url\((?!#)/);
  t.regex(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('all text is escaped: scenario name, file, center ids, group ids, IVR paths and menus, SLA expressions', (t) => {
  const html = renderHtml(summary);
  for (const raw of ['<script>alert', '<b>"c"</b>', '<odd>', '<img', '<menu>', 'g<1>']) t.false(html.includes(raw), raw);
  t.true(html.includes(esc('<script>alert("name")</script> & co')));
  t.true(html.includes(esc(NASTY_CENTER)));
  t.true(html.includes(esc('<b>"c"</b>&\'/g<1>')), 'the group row of the heatmap');
  t.true(html.includes(esc('welcome › <img/src=x/onerror=alert(1)>')));
  t.true(html.includes(`<code>${esc('max <= 0s')}</code>`));
  // The reproduce line quotes a file name the shell would split.
  t.true(html.includes(esc(`npx callsim run 'scenarios/<odd> name.yaml' --seed 1 --out DIR`)));
});

test('a failing SLA shows ✗ and the failing verdict; the ones that held show ✓', (t) => {
  t.false(summary.pass);
  const html = renderHtml(summary);
  const rows = html.match(/<tr class="(held|failed)">[\s\S]*?<\/tr>/g) ?? [];
  t.is(rows.length, 3);
  t.regex(rows[0]!, /^<tr class="failed"><td><span class="status fail">✗ FAIL<\/span><\/td><td class="text"><code>queue_wait<\/code>/);
  t.regex(rows[0]!, /max was [\d.]+s, not &#60;= 0s/, 'the reason, escaped');
  t.regex(rows[1]!, /^<tr class="held"><td><span class="status pass">✓ pass<\/span><\/td><td class="text"><code>connect_rate<\/code>/);
  t.regex(html, /<div class="verdict fail">✗ FAIL: 1 of 3 SLAs failed\.<\/div>/);
  t.notRegex(html, /verdict pass/);
  const passing = renderHtml({ ...summary, pass: true, slas: summary.slas.filter((s) => s.pass) });
  t.regex(passing, /<div class="verdict pass">✓ PASS: all 2 SLAs held\.<\/div>/);
  t.notRegex(passing, /✗/);
});

test('a partial run says so prominently, at the top; a full run does not', (t) => {
  const partial = renderHtml({ ...summary, partial: true });
  const banner = partial.indexOf('<div class="partial" role="alert">⚠ PARTIAL RESULTS');
  t.true(banner > 0);
  t.true(banner < partial.indexOf('id="slas"'), 'before the SLA table');
  t.regex(partial, /<title>[^<]*\(partial\)<\/title>/);
  t.notRegex(renderHtml(summary), /PARTIAL|class="partial"/);
});

test('a summary covering only the start of the scenario (serve stopped early) says how much, beside the duration', (t) => {
  t.regex(renderHtml({ ...summary, covered: 95.5 }), /<dt>covered<\/dt><dd>its first 95\.5s: /);
  t.notRegex(renderHtml(summary), /<dt>covered</);
});

test('a summary read back from summary.json (NaN as null), and one written before distributions and groupIntervals, render every chart', (t) => {
  const json = JSON.parse(summaryJson(summary)) as Summary;
  t.deepEqual(chartIds(renderHtml(json)), EXPECTED);
  const { distributions: _d, groupIntervals: _g, ...old } = json;
  const html = renderHtml(old as Summary);
  t.deepEqual(chartIds(html), EXPECTED);
  t.regex(html, /Agent occupancy by center and hour/);
  t.regex(renderHtml(json), /Agent occupancy by group and hour/);
});

test('with replications the SLA table gives the 95 % interval of rates', (t) => {
  const s = run(3);
  const html = renderHtml(s);
  const ci = s.rates.connect_rate!.ci95!;
  t.truthy(ci);
  const row = /<tr class="held"><td>[^\n]*?<code>connect_rate<\/code>.*?<\/tr>/.exec(html)?.[0] ?? '';
  t.regex(row, /<td>[\d.]+% – [\d.]+%<\/td>/);
  t.regex(html, /3 \(seeds [\d, ]+\); 95 % intervals are across replications/);
});

test('IVR paths print as menus and [keys]', (t) => {
  t.is(prettyPath('welcome main =0 agent =2'), 'welcome › main › [0] › agent › [2]');
  t.is(prettyPath(''), '');
});

test('value axes start at 0 and end at or above the largest value', (t) => {
  fc.assert(
    fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (max) => {
      const { max: top, ticks } = zeroBasedTicks(max);
      return ticks[0]!.at === 0 && top >= max && ticks.at(-1)!.at >= max * (1 - 1e-9) && ticks.length <= 12 && ticks.length >= 2;
    }),
  );
  t.deepEqual(
    zeroBasedTicks(0.27).ticks.map((x) => x.label),
    ['0.0', '0.1', '0.2', '0.3'],
  );
  t.deepEqual(
    zeroBasedTicks(0.27, undefined, 6).ticks.map((x) => x.label),
    ['0.00', '0.05', '0.10', '0.15', '0.20', '0.25', '0.30'],
    'labels carry the decimals the step needs, no more',
  );
  t.deepEqual(zeroBasedTicks(0).ticks.at(-1)!.at, 1, 'nothing to show still gets an axis');
});
