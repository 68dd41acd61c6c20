import test from 'ava';
import type { IvrSpec } from '../ivr/types.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { parseIvr, parseScenario, type LoadOptions } from './load.js';

/** Files a scenario may name, in memory. */
function files(map: Record<string, string>): LoadOptions['readFile'] {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

const CENTERS = `centers:
  - { id: province, groups: [{ count: 1 }] }
  - { id: changchun, areaCodes: ["0431"], groups: [{ count: 1 }] }
`;
const scenario = (ivr: string, extra = ''): string => `arrivals: { rate: 1/s }\n${extra}ivr: ${ivr}\n${CENTERS}`;

function issuesOf(run: () => unknown): readonly ScenarioIssue[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const where = (i: ScenarioIssue): [string, number, number, string] => [i.pos!.file, i.pos!.line, i.pos!.column, i.path];

const MENUS = `entry: main
menus:
  main:
    prompts: [{ text: 咨询请按1, duration: 3s }]
    options:
      1: { queue: { center: caller } }
      "2": { menu: sub }
  sub:
    prompts: [{ text: 子菜单, duration: 2s }]
    options: { "1": hangup }
`;

function ivrOf(text: string, file = 'menus.yaml'): IvrSpec {
  return parseIvr(text, file);
}

test('a menu file resolves with every default filled in', (t) => {
  const spec = ivrOf(MENUS);
  const expected: IvrSpec = {
    entry: 'main',
    answerDelay: 0,
    queueOutsideHours: false,
    invalidPrompt: { text: '选择错误,请重新输入', duration: 2 },
    file: 'menus.yaml',
    menus: {
      main: {
        id: 'main',
        parent: null,
        timeout: 8,
        maxReplays: 2,
        onNoInput: { kind: 'hangup' },
        bargeIn: true,
        variants: [
          {
            when: null,
            prompts: [{ text: '咨询请按1', duration: 3 }],
            options: {
              '1': { kind: 'queue', target: { center: 'caller', queue: 'general', priority: 0 } },
              '2': { kind: 'menu', target: 'sub' },
            },
            next: null,
          },
        ],
      },
      sub: {
        id: 'sub',
        parent: 'main',
        timeout: 8,
        maxReplays: 2,
        onNoInput: { kind: 'hangup' },
        bargeIn: true,
        variants: [{ when: null, prompts: [{ text: '子菜单', duration: 2 }], options: { '1': { kind: 'hangup' } }, next: null }],
      },
    },
  };
  t.deepEqual(spec, expected);
  t.true(Object.isFrozen(spec.menus['main']!.variants[0]!.options));
});

test('a menu file named by a scenario resolves relative to the scenario, keeping its own path', (t) => {
  const s = parseScenario(scenario('ivr/menus.yaml'), 'scenarios/jilin.yaml', { readFile: files({ 'scenarios/ivr/menus.yaml': MENUS }) });
  t.is(s.ivr?.file, 'scenarios/ivr/menus.yaml');
  t.deepEqual(s.ivr, { ...ivrOf(MENUS), file: 'scenarios/ivr/menus.yaml' });
});

test('inline menus resolve like a file, with the scenario as their file', (t) => {
  const inline = `\n${MENUS.replace(/^/gm, '  ')}`;
  const s = parseScenario(scenario(inline), 'inline.yaml');
  t.deepEqual(s.ivr, { ...ivrOf(MENUS), file: 'inline.yaml' });
});

test('`ivr: none` and no `ivr` at all: no IVR', (t) => {
  t.is(parseScenario(scenario('none'), 'x.yaml').ivr, null);
  t.is(parseScenario(`arrivals: { rate: 1/s }\n${CENTERS}`, 'x.yaml').ivr, null);
});

test('problems in a menu file come back at once, at their lines and columns in that file', (t) => {
  const bad = `entry: main
menus:
  main:
    prompts: [{ text: 菜单, duration: 5 seconds }]
    options:
      10: { menu: main }
      "2": { menu: contineu }
    next: hangup
  continue:
    prompts: [{ text: 继续, duration: 2s }]
    options: { "1": { menu: main } }
`;
  const issues = issuesOf(() => parseScenario(scenario('menus/bad.yaml'), 'dir/s.yaml', { readFile: files({ 'dir/menus/bad.yaml': bad }) }));
  t.deepEqual(issues.map(where), [
    ['dir/menus/bad.yaml', 4, 37, 'menus.main.prompts[0].duration'],
    ['dir/menus/bad.yaml', 6, 7, 'menus.main.options'],
    ['dir/menus/bad.yaml', 7, 20, 'menus.main.options.2.menu'],
    ['dir/menus/bad.yaml', 8, 5, 'menus.main.next'],
  ]);
  const [duration, key, target, both] = issues as [ScenarioIssue, ScenarioIssue, ScenarioIssue, ScenarioIssue];
  t.is(duration.message, '`5 seconds` is not a duration');
  t.is(key.message, '`10` is not a phone key');
  t.is(target.message, 'the IVR has no menu `contineu`');
  t.is(target.hint, 'did you mean `continue`?');
  t.is(both.message, '`options` and `next` are both given');
});

test('the scenario and its menu file report together: the scenario first, then the menu file', (t) => {
  const issues = issuesOf(() =>
    parseScenario(scenario('m.yaml', 'seed: -1\n'), 's.yaml', { readFile: files({ 'm.yaml': MENUS.replace('duration: 3s', 'duration: 0s') }) }),
  );
  t.deepEqual(
    issues.map((i) => [i.pos!.file, i.path]),
    [
      ['s.yaml', 'seed'],
      ['m.yaml', 'menus.main.prompts[0].duration'],
    ],
  );
});

test('a menu file that cannot be read or parsed', (t) => {
  const [missing] = issuesOf(() => parseScenario(scenario('nowhere.yaml'), 'dir/s.yaml', { readFile: files({}) }));
  t.deepEqual(where(missing!), ['dir/s.yaml', 2, 6, 'ivr']);
  t.is(missing!.message, 'cannot read the menu file dir/nowhere.yaml: no such file');
  const [typo] = issuesOf(() => parseScenario(scenario('nnoe'), 's.yaml', { readFile: files({}) }));
  t.is(typo!.hint, 'did you mean `none`?');
  const [syntax] = issuesOf(() => parseScenario(scenario('m.yaml'), 's.yaml', { readFile: files({ 'm.yaml': 'entry: main\nmenus: { a: [\n' }) }));
  t.is(syntax!.pos!.file, 'm.yaml');
  t.is(syntax!.expected, 'valid YAML');
  const empty = issuesOf(() => parseScenario(scenario('m.yaml'), 's.yaml', { readFile: files({ 'm.yaml': '' }) }));
  t.deepEqual(empty.map((i) => [i.pos!.file, i.message]), [
    ['m.yaml', '`entry` is required'],
    ['m.yaml', '`menus` is required'],
  ]);
  const star = issuesOf(() => ivrOf(MENUS.replace('"2": { menu: sub }', '*: { menu: sub }')));
  t.is(star[0]!.hint, 'quote the key: `"*"` (unquoted, `*` starts an alias)');
});

test('option keys: a bare digit is that key; `01`, `10` and words are not keys; `*` and `#` quoted are', (t) => {
  const options = (o: string) => ivrOf(`entry: m\nmenus:\n  m:\n    prompts: []\n    options: ${o}\n`).menus['m']!.variants[0]!.options;
  t.deepEqual(Object.keys(options('{ 1: hangup, "*": hangup, "#": hangup, 0: hangup }')).sort(), ['#', '*', '0', '1']);
  for (const bad of ['01', '10', '"1 "', 'one', '"**"', '-1']) {
    const issues = issuesOf(() => options(`{ ${bad}: hangup }`));
    t.is(issues.length, 1, bad);
    t.regex(issues[0]!.message, /is not a phone key/, bad);
    t.deepEqual([issues[0]!.pos!.line, issues[0]!.pos!.column], [5, 16], bad);
  }
  const twice = issuesOf(() => options('{ 1: hangup, "1": { menu: m } }'));
  t.is(twice[0]!.message, 'the key `1` is given twice');
});

test('actions: bare `hangup`, one-key maps, and helpful words for the rest', (t) => {
  const next = (a: string) => ivrOf(`entry: m\nmenus:\n  m:\n    next: ${a}\n`).menus['m']!.variants[0]!.next;
  t.deepEqual(next('hangup'), { kind: 'hangup' });
  t.deepEqual(next('{ hangup: }'), { kind: 'hangup' });
  t.deepEqual(next('{ hangup: { prompt: { text: 再见, duration: 1s } } }'), { kind: 'hangup', prompt: { text: '再见', duration: 1 } });
  t.deepEqual(next('{ queue: {} }'), { kind: 'queue', target: { center: 'caller', queue: 'general', priority: 0 } });
  t.deepEqual(next('{ transfer: { prompt: { text: 区号, duration: 2s } } }'), { kind: 'transfer', prompt: { text: '区号', duration: 2 }, digits: 4 });
  t.deepEqual(next('{ voicemail: { prompt: { text: 留言, duration: 2s }, then: m } }'), {
    kind: 'voicemail',
    prompt: { text: '留言', duration: 2 },
    maxDuration: 60,
    then: 'm',
  });
  const problem = (a: string) => {
    const issues = issuesOf(() => next(a));
    if (issues.length !== 1) throw new Error(`${a}: ${JSON.stringify(issues)}`);
    return issues[0]!;
  };
  t.is(problem('m').hint, 'to go to the menu `m`, write `{ menu: m }`');
  t.is(problem('hangpu').hint, 'did you mean `hangup`?');
  t.is(problem('{ queu: {} }').hint, 'did you mean `queue`?');
  t.regex(problem('{ menu: m, hangup: {} }').message, /exactly one key/);
  t.regex(problem('{}').message, /needs its kind/);
  t.is(problem('{ info: { prompt: { text: x, duration: 1s } } }').message, '`then` is required');
  t.is(problem('{ account: { idPrompt: { text: x, duration: 1s }, pinPrompt: { text: x, duration: 1s }, resultPrompt: { text: x, duration: 1s }, failPrompt: { text: x, duration: 1s }, then: m, idDigits: 0 } }').path, 'menus.m.next.account.idDigits');
});

test('conditions: each test, several keys meaning all, and the combinators', (t) => {
  const when = (c: string) =>
    ivrOf(`entry: m\nmenus:\n  m:\n    variants:\n      - when: ${c}\n        next: hangup\n      - next: hangup\n`).menus['m']!.variants[0]!.when;
  t.deepEqual(when('{ agentHours: false }'), { kind: 'agent-hours', value: false });
  t.deepEqual(when('{ holiday: true }'), { kind: 'holiday', value: true });
  t.deepEqual(when('{ areaCode: "0431" }'), { kind: 'area-code', codes: ['0431'] });
  t.deepEqual(when('{ agentHours: true, holiday: false }'), {
    kind: 'all',
    of: [
      { kind: 'agent-hours', value: true },
      { kind: 'holiday', value: false },
    ],
  });
  t.deepEqual(when('{ not: { any: [{ holiday: true }, { all: [{ areaCode: ["0431", "0432"] }] }] } }'), {
    kind: 'not',
    of: { kind: 'any', of: [{ kind: 'holiday', value: true }, { kind: 'all', of: [{ kind: 'area-code', codes: ['0431', '0432'] }] }] },
  });
  const problem = (c: string) => issuesOf(() => when(c))[0]!;
  t.is(problem('{}').message, 'a condition needs at least one test');
  t.is(problem('{ agentHours: yes }').hint, 'write `true`');
  t.is(problem('{ areaCode: [0431] }').hint, 'quote it: "0431"');
  t.is(problem('{ not: { agentHour: true } }').hint, 'did you mean `agentHours`?');
});

test('variants: a menu has `variants` or one variant inline; each has options or next; `when`-less last', (t) => {
  const issues = (menu: string) => issuesOf(() => ivrOf(`entry: m\nmenus:\n  m:\n${menu}`));
  t.is(issues('    prompts: []\n')[0]!.message, '`m` has neither `options` nor `next`');
  t.is(issues('    options: {}\n')[0]!.message, '`options` is empty');
  const beside = issues('    prompts: []\n    variants: [{ next: hangup }]\n')[0]!;
  t.is(beside.message, '`prompts` belongs in each variant when the menu has `variants`');
  t.deepEqual([beside.pos!.line, beside.pos!.column], [4, 5]);
  const unreachable = issues('    variants:\n      - next: hangup\n      - { when: { holiday: true }, next: hangup }\n')[0]!;
  t.is(unreachable.path, 'menus.m.variants[1]');
  t.regex(unreachable.message, /never met/);
  t.is(issues('    variants: []\n')[0]!.message, '`variants` needs at least 1 item');
});

test('parents: given, or the first menu in file order that leads here; the entry has none', (t) => {
  const spec = ivrOf(`entry: welcome
menus:
  welcome: { next: { menu: main } }
  main:
    prompts: []
    options:
      "1": { info: { prompt: { text: x, duration: 1s }, then: more } }
      "2": { account: { idPrompt: &p { text: x, duration: 1s }, pinPrompt: *p, resultPrompt: *p, failPrompt: *p, then: main, onFailure: { menu: failed } } }
      "3": { menu: main }
  more:
    onNoInput: { menu: late }
    prompts: []
    options: { "1": { menu: welcome }, "2": { menu: own } }
  failed: { next: { menu: more } }
  late: { next: hangup }
  own:
    parent: main
    next: hangup
  lost: { parent: none, next: hangup }
`);
  const parents = Object.fromEntries(Object.values(spec.menus).map((m) => [m.id, m.parent]));
  t.deepEqual(parents, { welcome: null, main: 'welcome', more: 'main', failed: 'main', late: 'more', own: 'main', lost: null });
  const [unknown] = issuesOf(() => ivrOf('entry: m\nmenus:\n  m: { parent: mm, next: hangup }\n'));
  t.is(unknown!.path, 'menus.m.parent');
  t.is(unknown!.hint, 'did you mean `m`?');
});

test('the entry must be a menu; menu ids are names', (t) => {
  const [entry] = issuesOf(() => ivrOf(MENUS.replace('entry: main', 'entry: mian')));
  t.deepEqual([entry!.path, entry!.pos!.line, entry!.pos!.column], ['entry', 1, 8]);
  t.is(entry!.hint, 'did you mean `main`?');
  const [id] = issuesOf(() => ivrOf('entry: m\nmenus:\n  m: { next: hangup }\n  1: { next: hangup }\n'));
  t.is(id!.message, '`1` is not a menu id');
});

test('queue centers must be `caller` or centers of the scenario; a menu file alone is not checked', (t) => {
  const menus = MENUS.replace('center: caller', 'center: changchn');
  const [center] = issuesOf(() => parseScenario(scenario('m.yaml'), 's.yaml', { readFile: files({ 'm.yaml': menus }) }));
  t.deepEqual(where(center!), ['m.yaml', 6, 29, 'menus.main.options.1.queue.center']);
  t.is(center!.hint, 'did you mean `changchun`?');
  t.notThrows(() => ivrOf(menus));
  // Reported even when the IVR has other problems.
  const more = issuesOf(() => parseScenario(scenario('m.yaml'), 's.yaml', { readFile: files({ 'm.yaml': menus.replace('duration: 2s', 'duration: x') }) }));
  t.deepEqual(more.map((i) => i.path), ['menus.main.options.1.queue.center', 'menus.sub.prompts[0].duration']);
});

test('callers.ivr.choices names menus of the IVR; with `ivr: none` they are not judged', (t) => {
  const choices = 'callers:\n  ivr:\n    choices:\n      main: { "1": 1, silent: 0.1, 2: 1 }\n      sbu: { hangup: 1 }\n';
  const [menu] = issuesOf(() => parseScenario(scenario('m.yaml', choices), 's.yaml', { readFile: files({ 'm.yaml': MENUS }) }));
  t.deepEqual(where(menu!), ['s.yaml', 6, 7, 'callers.ivr.choices.sbu']);
  t.is(menu!.hint, 'did you mean `sub`?');
  const s = parseScenario(scenario('none', choices), 's.yaml');
  t.deepEqual(s.callers.ivr.choices, { main: { '1': 1, silent: 0.1, '2': 1 }, sbu: { hangup: 1 } });
  const bad = issuesOf(() => parseScenario(scenario('none', 'callers:\n  ivr:\n    choices:\n      main: { hang: 1, "12": 1 }\n      sub: { "1": 0 }\n'), 's.yaml'));
  t.deepEqual(bad.map((i) => i.message), ['`hang` is not a choice', '`12` is not a choice', 'no choice has a weight above 0']);
  t.is(bad[0]!.hint, 'did you mean `hangup`?');
});

test('callers: area-code mixes are quoted digits with positive weights', (t) => {
  const s = parseScenario(scenario('none', 'callers:\n  areaCodes: { "0431": 3, "0432": 1 }\n'), 's.yaml');
  t.deepEqual(s.callers.areaCodes, { '0431': 3, '0432': 1 });
  const issues = issuesOf(() => parseScenario(scenario('none', 'callers:\n  areaCodes: { 0431: 1, "x1": 1, "0433": 0 }\n'), 's.yaml'));
  t.deepEqual(issues.map((i) => [i.message, i.hint]), [
    ['`0431` is not a quoted area code', 'quote it: "0431"'],
    ['`x1` is not an area code', undefined],
    ['`0` is out of range', undefined],
  ]);
});

test('--set goes on into the menu file that `ivr` names, which keeps its own path and positions', (t) => {
  const read = files({ 'scenarios/ivr/menus.yaml': MENUS, 'scenarios/ivr/other.yaml': MENUS.replace('咨询请按1', '其他') });
  const load = (sets: string[]): ReturnType<typeof parseScenario> => parseScenario(scenario('ivr/menus.yaml'), 'scenarios/jilin.yaml', { sets, readFile: read });
  const s = load(['ivr.menus.main.timeout=10s', 'ivr.menus.sub.prompts[0].duration=4s', 'ivr.answerDelay=2s']);
  t.is(s.ivr?.file, 'scenarios/ivr/menus.yaml');
  t.is(s.ivr?.menus['main']!.timeout, 10);
  t.is(s.ivr?.menus['sub']!.variants[0]!.prompts[0]!.duration, 4);
  t.is(s.ivr?.answerDelay, 2);
  const untouched = ivrOf(MENUS);
  t.deepEqual(s.ivr?.menus['main']!.variants, untouched.menus['main']!.variants, 'the rest is the file as written');
  // a flag that names another file first: the path goes into that one
  const other = load(['ivr=ivr/other.yaml', 'ivr.menus.main.timeout=9s']);
  t.is(other.ivr?.file, 'scenarios/ivr/other.yaml');
  t.is(other.ivr?.menus['main']!.variants[0]!.prompts[0]!.text, '其他');
  t.is(other.ivr?.menus['main']!.timeout, 9);
  // problems: the flag's own value points at the flag, the file's content at the file (its
  // paths are then the scenario's, `ivr.` first, as for menus written inline)
  const issues = issuesOf(() => parseScenario(scenario('ivr/menus.yaml'), 'scenarios/jilin.yaml', {
    sets: ['ivr.menus.main.timeout=soon'],
    readFile: files({ 'scenarios/ivr/menus.yaml': MENUS.replace('duration: 2s', 'duration: 0s') }),
  }));
  t.deepEqual(issues.map(where), [
    ['scenarios/ivr/menus.yaml', 9, 38, 'ivr.menus.sub.prompts[0].duration'],
    ['--set', 1, 24, 'ivr.menus.main.timeout'],
  ]);
});

test('--set into a menu file that cannot be read says so, next to the file\'s own problem', (t) => {
  const issues = issuesOf(() => parseScenario(scenario('nowhere.yaml'), 'dir/s.yaml', { sets: ['ivr.menus.main.timeout=10s'], readFile: files({}) }));
  t.deepEqual(issues.map(where), [
    ['dir/s.yaml', 2, 6, 'ivr'],
    ['--set', 1, 5, 'ivr'],
  ]);
  t.is(issues[1]!.message, '`ivr` names the menu file dir/nowhere.yaml, which cannot be read; `menus` cannot be set in it');
  const syntax = issuesOf(() => parseScenario(scenario('m.yaml'), 's.yaml', { sets: ['ivr.entry=sub'], readFile: files({ 'm.yaml': 'entry: main\nmenus: { a: [\n' }) }));
  // the file's own syntax errors (two for this text), each once, then the flag's
  t.deepEqual(syntax.map((i) => [i.pos!.file, i.expected]), [['m.yaml', 'valid YAML'], ['m.yaml', 'valid YAML'], ['--set', 'a menu file that can be read']]);
  t.is(syntax[2]!.message, '`ivr` names the menu file m.yaml, which is not valid YAML; `entry` cannot be set in it');
});
