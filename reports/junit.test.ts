import test from 'ava';
import type { SlaResult } from '../sim/metrics/sla.js';
import { simulateOnce } from '../sim/metrics/simulate.js';
import { summarize } from '../sim/metrics/summary.js';
import { exp, queueScenario } from '../test/scenario-builder.js';
import { junitXml, PARTIAL_TESTCASE, type JunitSummary } from './junit.js';

// A small strict XML 1.0 reader, enough to prove junit.xml well-formed without a dependency:
// one root, balanced and properly nested tags, quoted and unique attributes, only the five
// predefined entities and character references, no `<` or bare `&` in text or values.

interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function unescape(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`< in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & in ${where}`);
    if (ENTITIES[ref] !== undefined) return ENTITIES[ref]!;
    const num = /^#(\d+)$/.exec(ref) ?? /^#x([0-9a-fA-F]+)$/.exec(ref);
    if (!num) throw new Error(`unknown entity ${m} in ${where}`);
    return String.fromCodePoint(parseInt(num[1]!, ref.startsWith('#x') ? 16 : 10));
  });
}

function parseXml(src: string): XmlElement {
  if (BAD_CHAR.test(src)) throw new Error('a character XML 1.0 does not allow');
  let at = 0;
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(src);
  if (prolog) at = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const name = (): string => {
    NAME.lastIndex = at;
    const m = NAME.exec(src);
    if (!m) throw new Error(`expected a name at ${at}`);
    at += m[0].length;
    return m[0];
  };
  const spaces = (): boolean => {
    const start = at;
    while (/\s/.test(src[at] ?? '')) at++;
    return at > start;
  };
  while (at < src.length) {
    const lt = src.indexOf('<', at);
    const chunk = src.slice(at, lt < 0 ? src.length : lt);
    const txt = unescape(chunk, `text at ${at}`);
    if (stack.length > 0) stack[stack.length - 1]!.text += txt;
    else if (txt.trim() !== '') throw new Error(`text outside the root at ${at}`);
    if (lt < 0) break;
    at = lt;
    if (src.startsWith('<!--', at)) {
      const end = src.indexOf('-->', at);
      if (end < 0) throw new Error('unclosed comment');
      at = end + 3;
    } else if (src.startsWith('</', at)) {
      at += 2;
      const n = name();
      spaces();
      if (src[at] !== '>') throw new Error(`expected > closing </${n}`);
      at++;
      const open = stack.pop();
      if (!open || open.name !== n) throw new Error(`</${n}> closes <${open?.name ?? 'nothing'}>`);
    } else {
      at++;
      const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
      const attrs = el.attrs as Record<string, string>;
      for (;;) {
        const sp = spaces();
        if (src.startsWith('/>', at) || src[at] === '>') break;
        if (!sp) throw new Error(`expected a space before an attribute of <${el.name}> at ${at}`);
        const a = name();
        spaces();
        if (src[at] !== '=') throw new Error(`expected = after ${a}`);
        at++;
        spaces();
        const q = src[at];
        if (q !== '"' && q !== "'") throw new Error(`unquoted value of ${a}`);
        const end = src.indexOf(q, at + 1);
        if (end < 0) throw new Error(`unclosed value of ${a}`);
        if (a in attrs) throw new Error(`attribute ${a} twice on <${el.name}>`);
        attrs[a] = unescape(src.slice(at + 1, end), `${el.name}@${a}`);
        at = end + 1;
      }
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error('a second root element');
      else root = el;
      if (src.startsWith('/>', at)) at += 2;
      else {
        at++;
        stack.push(el);
      }
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const child = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);

function sla(metric: string, expr: string, observed: number | null, threshold: number, pass: boolean, detail?: string): SlaResult {
  return { metric, key: metric, expr, observed, threshold, pass, ...(detail !== undefined && { detail }) };
}

function summary(slas: SlaResult[], over: Partial<JunitSummary> = {}): JunitSummary {
  return {
    scenario: {
      name: 'Hotline <A & "B"> \u0001 省',
      file: 'scenarios/x.yaml',
      seed: 7,
      start: '2026-07-06T00:00:00+08:00',
      duration: 86400,
      warmup: 3600,
      replications: 3,
      seeds: [11, 12, 13],
      serviceLevel: { threshold: 20, definition: 'strict' },
    },
    slas,
    pass: slas.every((s) => s.pass),
    partial: false,
    timing: { generatedAt: '2026-01-02T03:04:05.678Z', wallSeconds: 1.25 },
    ...over,
  };
}

test('the XML checker itself rejects what is not well-formed', (t) => {
  for (const bad of ['<a>', '<a></b>', '<a x=1/>', '<a x="1" x="2"/>', '<a>&</a>', '<a>&nbsp;</a>', '<a/><b/>', 'x<a/>', '<a x="<"/>', '<a>\u0001</a>']) {
    t.throws(() => parseXml(bad), undefined, bad);
  }
  t.is(parseXml('<a x="&lt;&#38;&#x41;">t&amp;<b/></a>').attrs.x, '<&A');
});

test('one test case per SLA, failures with observed and threshold, properties, escaping', (t) => {
  const xml = junitXml(
    summary([
      sla('queue_wait', 'p(95) <= 20s', 23.4, 20, false, 'p(95) was 23.4s, not <= 20s'),
      sla('abandon_rate', '<= 0.02', 0.062811, 0.02, false, 'abandon_rate was 6.281%, not <= 2%'),
      sla('service_level(20s)', '>= 0.80', 0.9367, 0.8, true),
      sla('agent_ring_rings', 'count == 0', 4, 0, false),
      sla('connect_rate', '>= 95%', null, 0.95, false, 'no data'),
    ]),
  );
  const root = parseXml(xml);
  t.is(root.name, 'testsuites');
  t.like(root.attrs, { tests: '5', failures: '4', errors: '0' });
  const [suite, ...others] = child(root, 'testsuite');
  t.is(others.length, 0);
  t.is(suite!.attrs.name, 'Hotline <A & "B"> \uFFFD 省');
  t.like(suite!.attrs, { tests: '5', failures: '4', errors: '0', skipped: '0', time: '1.250', timestamp: '2026-01-02T03:04:05Z' });
  const props = Object.fromEntries(child(child(suite!, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
  t.like(props, { seed: '7', replications: '3', seeds: '11 12 13', partial: 'false', 'scenario.file': 'scenarios/x.yaml' });
  const cases = child(suite!, 'testcase');
  t.deepEqual(
    cases.map((c) => [c.attrs.name, c.attrs.classname]),
    [
      ['queue_wait p(95) <= 20s', 'queue_wait'],
      ['abandon_rate <= 0.02', 'abandon_rate'],
      ['service_level(20s) >= 0.80', 'service_level(20s)'],
      ['agent_ring_rings count == 0', 'agent_ring_rings'],
      ['connect_rate >= 95%', 'connect_rate'],
    ],
  );
  const failure = (i: number): XmlElement | undefined => child(cases[i]!, 'failure')[0];
  t.is(failure(0)!.attrs.message, 'observed 23.4s, threshold 20s');
  t.regex(failure(0)!.text, /p\(95\) was 23\.4s, not <= 20s/);
  t.is(failure(1)!.attrs.message, 'observed 6.281%, threshold 2%');
  t.is(failure(2), undefined);
  t.is(child(cases[2]!, 'system-out')[0]!.text, 'observed 93.67%, threshold 80%');
  t.is(failure(3)!.attrs.message, 'observed 4, threshold 0');
  t.is(failure(4)!.attrs.message, 'observed no data, threshold 95%');
});

test('a partial run is never green: an extra test case in error', (t) => {
  const root = parseXml(junitXml(summary([sla('abandon_rate', '<= 0.02', 0.01, 0.02, true)], { partial: true })));
  const suite = child(root, 'testsuite')[0]!;
  t.like(suite.attrs, { tests: '2', failures: '0', errors: '1' });
  const partial = child(suite, 'testcase').find((c) => c.attrs.name === PARTIAL_TESTCASE)!;
  t.truthy(child(partial, 'error')[0]!.attrs.message);
  t.regex(child(suite, 'system-out')[0]!.text, /PARTIAL/);
  const complete = parseXml(junitXml(summary([sla('abandon_rate', '<= 0.02', 0.01, 0.02, true)])));
  t.like(child(complete, 'testsuite')[0]!.attrs, { tests: '1', errors: '0' });
});

test('a summary covering part of the scenario (a server stopped early) carries `covered` as a property', (t) => {
  const props = (x: JunitSummary): Record<string, string> =>
    Object.fromEntries(child(child(child(parseXml(junitXml(x)), 'testsuite')[0]!, 'properties')[0]!, 'property').map((p) => [p.attrs.name!, p.attrs.value!]));
  t.is(props(summary([], { covered: 12.5 })).covered, '12.5');
  t.false('covered' in props(summary([])));
});

test('no SLAs: a valid file with zero test cases that says nothing was judged', (t) => {
  const root = parseXml(junitXml(summary([])));
  const suite = child(root, 'testsuite')[0]!;
  t.like(suite.attrs, { tests: '0', failures: '0', errors: '0' });
  t.is(child(suite, 'testcase').length, 0);
  t.regex(child(suite, 'system-out')[0]!.text, /no SLAs/);
});

test('from a simulated run: the verdicts of summarize, one test case each', (t) => {
  const base = queueScenario({ rate: 1 / 30, agents: 2, talk: exp(50), patience: exp(60), duration: 4 * 3600 });
  const scenario = {
    ...base,
    name: 'tiny',
    sla: [
      { metric: 'queue_wait', expr: 'p(95) <= 0s' },
      { metric: 'abandon_rate', expr: '<= 100%' },
    ],
  };
  const rep = simulateOnce(scenario, 1);
  const s = summarize(scenario, [rep], { now: new Date(0), wallSeconds: 0.5 });
  rep.collector.destroy();
  const suite = child(parseXml(junitXml(s)), 'testsuite')[0]!;
  t.is(suite.attrs.name, 'tiny');
  t.is(child(suite, 'testcase').length, s.slas.length);
  t.is(Number(suite.attrs.failures), s.slas.filter((x) => !x.pass).length);
  t.is(suite.attrs.failures, '1');
  const failed = child(suite, 'testcase').find((c) => child(c, 'failure').length > 0)!;
  t.is(failed.attrs.classname, 'queue_wait');
  t.regex(child(failed, 'failure')[0]!.attrs.message!, /^observed [\d.]+(ms|s), threshold 0s$/);
});
