// junit.xml: the SLA verdicts of a run in the JUnit XML format CI servers read (Jenkins,
// GitLab, GitHub test reporters). One test suite per run, named after the scenario; one test
// case per SLA, failing with "observed X, threshold Y". A run that was interrupted must never
// look green, so it adds a test case "run completed" in error. A scenario without SLAs gives a
// valid file with zero test cases: nothing was judged, and the file says so (docs/outputs.md).

import type { Summary } from '../sim/metrics/summary.js';
import type { SlaResult } from '../sim/metrics/sla.js';
import { compileSla, thresholdKind } from '../sim/scenario/sla-grammar.js';
import { formatDuration } from '../sim/scenario/units.js';

/** The parts of a summary junit.xml reads (summary.json read back qualifies too). */
export type JunitSummary = Pick<Summary, 'scenario' | 'slas' | 'pass' | 'partial' | 'covered'> & {
  readonly timing?: { readonly generatedAt?: string; readonly wallSeconds?: number | null };
};

/** Test case of an interrupted run: always in error. */
export const PARTIAL_TESTCASE = 'run completed';

/** The whole junit.xml document for a run. */
export function junitXml(summary: JunitSummary): string {
  const s = summary.scenario;
  const cases = summary.slas.map(slaTestcase);
  const failures = summary.slas.filter((r) => !r.pass).length;
  let errors = 0;
  if (summary.partial) {
    errors++;
    cases.push(
      `    <testcase name="${PARTIAL_TESTCASE}" classname="callsim.run" time="0">\n` +
        `      <error type="PartialRun" message="${attr('the run was interrupted; the figures and verdicts cover only what ran')}"/>\n` +
        `    </testcase>`,
    );
  }
  const tests = cases.length;
  const wall = summary.timing?.wallSeconds;
  const time = typeof wall === 'number' && Number.isFinite(wall) ? wall.toFixed(3) : '0';
  const stamp = summary.timing?.generatedAt ? ` timestamp="${attr(summary.timing.generatedAt.replace(/\.\d+Z$/, 'Z'))}"` : '';
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${time}"`;
  const properties: [string, string | number | boolean][] = [
    ['scenario.file', s.file],
    ['seed', s.seed],
    ['replications', s.replications],
    ['seeds', s.seeds.join(' ')],
    ['start', s.start],
    ['duration', s.duration],
    ['warmup', s.warmup],
    ['serviceLevel.threshold', s.serviceLevel.threshold],
    ['serviceLevel.definition', s.serviceLevel.definition],
    ['partial', summary.partial],
    ...(typeof summary.covered === 'number' ? [['covered', summary.covered] as [string, number]] : []),
  ];
  const notes = [
    summary.slas.length === 0 ? 'no SLAs in this scenario: nothing was judged' : `${failures} of ${summary.slas.length} SLAs failed`,
    ...(summary.partial ? ['PARTIAL: the run was interrupted; the figures cover only what ran'] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="callsim" ${counts}>`,
    `  <testsuite name="${attr(s.name)}" ${counts}${stamp}>`,
    '    <properties>',
    ...properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(String(v))}"/>`),
    '    </properties>',
    ...cases,
    `    <system-out>${text(notes.join('\n'))}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function slaTestcase(r: SlaResult): string {
  const open = `    <testcase name="${attr(`${r.metric} ${r.expr}`)}" classname="${attr(r.metric)}" time="0">`;
  const verdict = `observed ${formatValue(r, r.observed)}, threshold ${formatValue(r, r.threshold)}`;
  const body = r.pass
    ? `      <system-out>${text(verdict)}</system-out>`
    : `      <failure type="SlaFailed" message="${attr(verdict)}">${text(`${r.metric}: ${r.expr}\n${r.detail ?? verdict}`)}</failure>`;
  return `${open}\n${body}\n    </testcase>`;
}

/** In the threshold's unit: `23.4s`, `93.12%`, `4`; `no data` for null. */
function formatValue(r: SlaResult, x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'no data';
  let kind: string;
  try {
    const sla = compileSla(r.metric, r.expr);
    kind = thresholdKind(sla.metric, sla.aggregate);
  } catch {
    // A summary from another version may carry an SLA this grammar no longer reads: plain numbers then.
    kind = 'count';
  }
  if (kind === 'duration') return formatDuration(x);
  if (kind === 'rate') return `${+(x * 100).toPrecision(4)}%`;
  return `${+x.toPrecision(6)}`;
}

// XML 1.0 allows tab, newline, carriage return and the characters from U+0020 up; the rest
// (and lone surrogates) cannot be written even escaped, so they become U+FFFD.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content: `&`, `<`, `>` escaped. */
export function text(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes: also `"`, and line breaks kept as character references. */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
