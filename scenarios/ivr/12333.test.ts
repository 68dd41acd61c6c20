// scenarios/ivr/12333.yaml against its source, seed 001's main flow (spec/hotline.md "The
// IVR main flow"): the seed's prompt texts word for word, the keys inside and outside agent
// hours, where each key leads, and where `*` returns.

import test from 'ava';
import type { Action, IvrSpec, Key, Menu, Prompt, Variant } from '../../sim/ivr/types.js';
import { loadIvr, parseScenario } from '../../sim/scenario/load.js';

const FILE = 'scenarios/ivr/12333.yaml';

/** A scenario beside the menu file, with the centers the menus name. */
const SCENARIO = `arrivals: { rate: 1/s }
ivr: ivr/12333.yaml
callers:
  areaCodes: { "0431": 0.4, "0432": 0.6 }
  ivr:
    choices:
      main: { "0": 0.5, "1": 0.2, "4": 0.1, silent: 0.02, hangup: 0.01 }
      agent: { "1": 0.3, "2": 0.7 }
centers:
  - { id: province, groups: [{ count: 1 }] }
  - { id: changchun, areaCodes: ["0431"], groups: [{ count: 1 }] }
  - { id: jilin, areaCodes: ["0432"], groups: [{ count: 1 }] }
`;

function ivr(): IvrSpec {
  const s = parseScenario(SCENARIO, 'scenarios/jilin.yaml');
  if (!s.ivr) throw new Error('no IVR');
  return s.ivr;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}
const menu = (spec: IvrSpec, id: string): Menu => must(spec.menus[id], `menu ${id}`);
const variant = (m: Menu, i: number): Variant => must(m.variants[i], `variant ${i} of ${m.id}`);
const option = (v: Variant, k: Key): Action => must(v.options[k], `option ${k}`);
const keys = (v: Variant): string => Object.keys(v.options).sort().join('');

test('loaded through a scenario, it is the file, relative to the scenario', (t) => {
  const spec = ivr();
  t.is(spec.file, FILE);
  t.deepEqual(Object.keys(spec.menus), ['welcome', 'main', 'continue', 'agent', 'account-failed']);
  t.deepEqual(loadIvr(FILE), spec, 'loading the menu file alone gives the same menus');
});

test('the welcome, then the main menu; `*` in any submenu returns to main, in main it is invalid', (t) => {
  const spec = ivr();
  t.is(spec.entry, 'welcome');
  const welcome = menu(spec, 'welcome');
  t.deepEqual(variant(welcome, 0).prompts.map((p) => p.text), ['您好,欢迎拨打吉林省12333劳动保障电话咨询服务热线']);
  t.deepEqual(variant(welcome, 0).next, { kind: 'menu', target: 'main' });
  t.is(welcome.parent, null);
  t.is(menu(spec, 'main').parent, null);
  for (const id of ['continue', 'agent', 'account-failed']) t.is(menu(spec, id).parent, 'main', id);
  t.deepEqual(spec.invalidPrompt.text, '选择错误,请重新输入');
  t.false(spec.queueOutsideHours);
});

test('inside agent hours the full menu with keys 1-5, 9, 0; outside them the hours notice and keys 1-4', (t) => {
  const main = menu(ivr(), 'main');
  const [inside, outside] = [variant(main, 0), variant(main, 1)];
  t.deepEqual(inside.when, { kind: 'agent-hours', value: true });
  t.deepEqual(
    inside.prompts.map((p) => p.text),
    ['语音服务请按1,录音留言请按2,索取传真请按3,个人账户查询请按4,投诉举报请按5,上级或异地服务请按9,转人工服务请按0'],
  );
  t.is(keys(inside), '0123459');
  t.is(outside.when, null);
  t.deepEqual(
    outside.prompts.map((p) => p.text),
    ['现在是自动服务时间,人工服务时间为:夏季8:00至18:00,冬季8:00至17:00', '语音服务请按1,录音留言请按2,索取传真请按3,个人账户查询请按4'],
  );
  t.is(keys(outside), '1234');
  for (const k of ['1', '2', '3', '4'] as const) t.deepEqual(option(outside, k), option(inside, k), `key ${k} does the same in and out of hours`);
  t.is(main.maxReplays, 2);
  t.is(main.onNoInput.kind, 'hangup');
});

test('keys 1-4 are self-service branches that continue; 5 a complaint; 9 a transfer; 0 the agent menu', (t) => {
  const inside = variant(menu(ivr(), 'main'), 0);
  for (const k of ['1', '2', '3', '4'] as const) {
    const a = option(inside, k);
    t.true('then' in a && a.then === 'continue', `key ${k} continues`);
  }
  t.deepEqual(
    ['1', '2', '3', '4'].map((k) => option(inside, k as Key).kind),
    ['info', 'voicemail', 'fax', 'account'],
  );
  const account = option(inside, '4');
  if (account.kind !== 'account') throw new Error('key 4 is not an account query');
  t.deepEqual([account.idDigits, account.pinDigits, account.maxFailures], [18, 6, 3]);
  t.deepEqual(account.onFailure, { kind: 'menu', target: 'account-failed' });
  const complaint = option(inside, '5');
  t.true(complaint.kind === 'queue');
  t.deepEqual(complaint.kind === 'queue' && complaint.target, { center: 'caller', queue: 'complaint', priority: -1 });
  const transfer = option(inside, '9');
  t.true(transfer.kind === 'transfer' && transfer.digits === 4);
  t.deepEqual(option(inside, '0'), { kind: 'menu', target: 'agent' });
});

test('"continue?": 1 goes back to main, silence hangs up', (t) => {
  const m = menu(ivr(), 'continue');
  const v = variant(m, 0);
  t.deepEqual(v.prompts.map((p) => p.text), ['继续其他服务请按1,结束请挂机']);
  t.deepEqual(v.options, { '1': { kind: 'menu', target: 'main' } });
  t.is(m.maxReplays, 0);
  t.is(m.onNoInput.kind, 'hangup');
});

test('key 0: Changchun callers choose the province or the city center, others go to their own center', (t) => {
  const agent = menu(ivr(), 'agent');
  const [capital, others, closed] = [variant(agent, 0), variant(agent, 1), variant(agent, 2)];
  t.deepEqual(capital.when, { kind: 'all', of: [{ kind: 'agent-hours', value: true }, { kind: 'area-code', codes: ['0431'] }] });
  t.deepEqual(capital.prompts.map((p) => p.text), ['省级咨询服务请按1、长春市咨询服务请按2']);
  const center = (a: Action): string | undefined => (a.kind === 'queue' ? a.target.center : undefined);
  t.is(center(option(capital, '1')), 'province');
  t.is(center(option(capital, '2')), 'changchun');
  t.deepEqual(others.when, { kind: 'agent-hours', value: true });
  t.is(others.next && center(others.next), 'caller');
  t.is(closed.when, null, 'outside agent hours nobody is queued');
  t.deepEqual(closed.next, { kind: 'menu', target: 'main' });
});

test('three failed identity checks: an agent inside agent hours, goodbye outside them', (t) => {
  const m = menu(ivr(), 'account-failed');
  t.deepEqual(variant(m, 0).when, { kind: 'agent-hours', value: true });
  t.is(variant(m, 0).next?.kind, 'queue');
  t.is(variant(m, 1).when, null);
  t.deepEqual(variant(m, 1).next, { kind: 'hangup' });
});

/** Every prompt a caller hears as speech (not the self-service content, whose length is the service's). */
function spoken(spec: IvrSpec): Prompt[] {
  const out: Prompt[] = [spec.invalidPrompt];
  const ofAction = (a: Action | null | undefined): void => {
    if (!a) return;
    if (a.kind === 'voicemail' || a.kind === 'transfer') out.push(a.prompt);
    if ((a.kind === 'queue' || a.kind === 'hangup') && a.prompt) out.push(a.prompt);
    if (a.kind === 'account') {
      out.push(a.idPrompt, a.pinPrompt, a.failPrompt);
      ofAction(a.onFailure);
    }
  };
  for (const m of Object.values(spec.menus)) {
    ofAction(m.onNoInput);
    for (const v of m.variants) {
      out.push(...v.prompts);
      Object.values(v.options).forEach(ofAction);
      ofAction(v.next);
    }
  }
  return out;
}

test('prompts last as long as Mandarin IVR speech takes to say them: 3.5-5 characters a second', (t) => {
  const prompts = spoken(ivr());
  t.true(prompts.length >= 15);
  for (const p of prompts) {
    const characters = p.text.replace(/[,、:。 ]/g, '').length;
    const rate = characters / p.duration;
    t.true(rate >= 3.5 && rate <= 5, `${p.text}: ${characters} characters in ${p.duration}s`);
  }
});
