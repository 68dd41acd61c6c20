// report.html as a person sees it: the default scenario is run through the CLI, its
// summary.json rendered by `callsim report`, and the page opened in headless Chromium (Debian's
// `chromium`; .ci/run installs it, and without it these tests fail saying so). The page must
// log no error, fetch nothing, and draw every chart; a screenshot is kept in .ci/artifacts.
// A crafted broken page checks that the inspection itself catches what it looks for.

import test, { type ExecutionContext } from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Summary } from '../sim/metrics/summary.js';
import { Chromium, type PageLog } from './chromium.js';
import { callsim, root } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'callsim-report-'));
let browser: Chromium | undefined;
let launchError: string | undefined;
let runResult: ReturnType<typeof callsim> | undefined;

test.before(async () => {
  runResult = callsim(['run', '--out', dir, '--quiet']);
  try {
    browser = await Chromium.launch();
  } catch (e) {
    launchError = e instanceof Error ? e.message : String(e);
  }
});

test.after.always(async () => {
  await browser?.close();
});

/** The browser, or a failed test that says how to get one. */
function chromium(t: ExecutionContext): Chromium | undefined {
  if (!browser) t.fail(launchError ?? 'chromium did not start');
  return browser;
}

interface ChartBox {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly marks: number;
  /** Marks with a non-empty box on the page. */
  readonly drawn: number;
}

const MEASURE_CHARTS = `[...document.querySelectorAll('svg[data-chart]')].map((svg) => {
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll('.mark')];
  const drawn = marks.filter((m) => {
    const b = m.getBBox();
    const r = m.getBoundingClientRect();
    return (b.width > 0 || b.height > 0) && (r.width > 0 || r.height > 0);
  }).length;
  const title = svg.querySelector(':scope > title')?.textContent?.trim() ?? '';
  return { id: svg.getAttribute('data-chart'), width: box.width, height: box.height, title, marks: marks.length, drawn };
})`;

/** What is wrong with a page: errors it logged, requests beyond local files, charts missing, empty or untitled. */
function problems(log: PageLog, charts: readonly ChartBox[], expected: readonly string[]): string[] {
  const out = [...log.errors];
  for (const url of log.requests) if (!/^(file|data):/.test(url)) out.push(`network request: ${url}`);
  for (const id of expected) if (!charts.some((c) => c.id === id)) out.push(`missing chart: ${id}`);
  for (const c of charts) {
    if (!(c.width > 0 && c.height > 0)) out.push(`chart ${c.id} has no size`);
    if (c.title === '') out.push(`chart ${c.id} has no title`);
    if (c.drawn === 0) out.push(`chart ${c.id} is empty (nothing drawn)`);
  }
  return out;
}

/** The charts a report of this summary must have (DESIGN.md, issue 7). */
function expectedCharts(s: Summary): string[] {
  return [
    'volume',
    'service-level',
    'connect-rate',
    'percentiles-queue_wait',
    'percentiles-speed_of_answer',
    'percentiles-agent_ring',
    'load-all',
    ...Object.keys(s.centers).map((id) => `load-${id}`),
    'occupancy',
    'ivr-paths',
  ];
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test.serial('callsim report renders the default scenario; in Chromium it logs no error, fetches nothing and draws every chart', async (t) => {
  t.true(runResult?.code === 0 || runResult?.code === 1, `callsim run failed: ${runResult?.stderr}`);
  const r = callsim(['report', join(dir, 'summary.json')]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /wrote .*report\.html/);
  const file = join(dir, 'report.html');
  t.true(existsSync(file));
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
  t.is(Object.keys(summary.centers).length, 10, 'the default scenario has ten centers');

  const b = chromium(t);
  if (!b) return;
  const { session, log } = await b.open(pathToFileURL(file).href);
  const charts = await b.evaluate<ChartBox[]>(session, MEASURE_CHARTS);
  const expected = expectedCharts(summary);
  t.deepEqual(problems(log, charts, expected), []);
  t.deepEqual(
    charts.map((c) => c.id),
    expected,
    'every chart once, in order',
  );
  const page = await b.evaluate<{ title: string; slaRows: number; passMarks: number; failMarks: number; partial: boolean }>(
    session,
    `({ title: document.title, slaRows: document.querySelectorAll('table.slas tbody tr').length,
        passMarks: document.querySelectorAll('table.slas .status.pass').length,
        failMarks: document.querySelectorAll('table.slas .status.fail').length,
        partial: document.querySelector('.partial') !== null })`,
  );
  t.is(page.title, `callsim report: ${summary.scenario.name}`);
  t.is(page.slaRows, summary.slas.length);
  t.is(page.passMarks, summary.slas.filter((s) => s.pass).length);
  t.is(page.failMarks, summary.slas.filter((s) => !s.pass).length);
  t.false(page.partial);

  const png = await b.screenshot(session);
  const artifacts = join(root, '.ci/artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'report.png'), png);
  const size = pngSize(png);
  t.is(size.width, 1200);
  t.true(size.height > 3000, `the whole page, not one screen (${size.height} px)`);
});

test.serial('the inspection catches console errors, exceptions, requests, and charts missing, empty, unsized or untitled', async (t) => {
  const b = chromium(t);
  if (!b) return;
  const broken = join(dir, 'broken.html');
  writeFileSync(
    broken,
    `<!DOCTYPE html><html><head><title>broken</title></head><body>
<svg data-chart="empty" width="200" height="100"><title>empty</title></svg>
<svg data-chart="unsized" width="0" height="0"><title>unsized</title><rect class="mark" width="10" height="10"/></svg>
<svg data-chart="untitled" width="100" height="100"><rect class="mark" width="10" height="10"/></svg>
<svg data-chart="fine" width="100" height="100"><title>fine</title><rect class="mark" width="10" height="10"/></svg>
<img src="http://127.0.0.1:9/nothing.png" alt="">
<script>console.error('boom'); throw new Error('uncaught');</script>
</body></html>`,
  );
  const { session, log } = await b.open(pathToFileURL(broken).href);
  const found = problems(log, await b.evaluate<ChartBox[]>(session, MEASURE_CHARTS), ['fine', 'volume']);
  const has = (re: RegExp): boolean => found.some((p) => re.test(p));
  t.true(has(/^console\.error: boom$/), found.join('\n'));
  t.true(has(/^exception: .*uncaught/), found.join('\n'));
  t.true(has(/^network request: http:\/\/127\.0\.0\.1:9\//), found.join('\n'));
  t.true(has(/^missing chart: volume$/));
  t.true(has(/^chart empty is empty/));
  t.true(has(/^chart unsized has no size$/));
  t.true(has(/^chart untitled has no title$/));
  t.false(has(/chart fine/));
});

test('callsim report --out writes where told; a folder stands for its summary.json', (t) => {
  t.true(runResult?.code === 0 || runResult?.code === 1, `callsim run failed: ${runResult?.stderr}`);
  const out = join(dir, 'elsewhere.html');
  const r = callsim(['report', dir, '--out', out, '--quiet']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  t.regex(readFileSync(out, 'utf8'), /^<!DOCTYPE html>/);
});

test('a bad summary file is exit 2 with a message naming the file and the problem, never a stack', (t) => {
  const bad = mkdtempSync(join(tmpdir(), 'callsim-bad-summary-'));
  const write = (name: string, text: string): string => {
    writeFileSync(join(bad, name), text);
    return join(bad, name);
  };
  const minimal = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  const cases: [string, RegExp][] = [
    [join(bad, 'missing.json'), /missing\.json: cannot read it \(no such file\)/],
    [bad, /summary\.json: cannot read it \(no such file\)/],
    [write('text.json', 'hello'), /text\.json: not JSON \(/],
    [write('array.json', '[1, 2]'), /array\.json: not a callsim summary\.json: expected a JSON object, found an array/],
    [write('other.json', '{"callsim": {"summaryFormat": 1}, "name": "x"}'), /other\.json: not a callsim summary\.json: `scenario` is missing; expected an object/],
    [write('rows.json', JSON.stringify({ ...minimal, intervals: { rows: 3 } })), /rows\.json: .*`intervals\.rows` is a number; expected an array/],
    [write('future.json', JSON.stringify({ ...minimal, callsim: { summaryFormat: 99 } })), /future\.json: summary format 99 is newer than this callsim reads/],
  ];
  for (const [file, message] of cases) {
    const r = callsim(['report', file]);
    t.is(r.code, 2, file);
    t.regex(r.stderr, message);
    t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  }
  t.is(callsim(['report']).code, 2, 'SUMMARY is required');
});
