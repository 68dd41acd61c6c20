// The 12333 IVR main flow of seed 001 (spec/hotline.md, "The IVR main flow"), built in code
// for tests that must not depend on the YAML loader: welcome, then the main menu (all keys
// inside agent hours; the hours notice and keys 1-4 outside), voice information, voice
// message, fax, account query, complaint, transfer by area code, and the agent with the
// capital-area choice. Durations are plausible, not measured.

import type { Action, IvrContext, IvrSpec, Menu, Prompt, QueueTarget, Variant } from './types.js';

const p = (text: string, duration: number): Prompt => ({ text, duration });

export const PROMPTS = {
  welcome: p('您好,欢迎拨打xs省12333劳动保障电话咨询服务热线', 5),
  hours: p('现在是自动服务时间,人工服务时间为:夏季8:00至18:00,冬季8:00至17:00', 7),
  main: p('语音服务请按1,录音留言请按2,索取传真请按3,个人账户查询请按4,投诉举报请按5,上级或异地服务请按9,转人工服务请按0', 12),
  mainReduced: p('语音服务请按1,录音留言请按2,索取传真请按3,个人账户查询请按4', 7),
  invalid: p('选择错误,请重新输入', 2),
  voice: p('养老保险请按1,就业政策请按2,返回上级菜单请按*', 6),
  pension: p('养老保险政策介绍', 90),
  employment: p('就业政策介绍', 75),
  voicemail: p('请在提示音后留言,留言时间最长两分钟', 4),
  fax: p('传真正在发送,请稍候', 40),
  idNumber: p('请输入您的18位身份证号码', 3),
  pin: p('请输入6位查询密码', 2),
  result: p('您的个人账户信息如下', 30),
  fail: p('身份验证失败', 2),
  complaint: p('正在为您转接投诉举报受理', 2),
  areaCode: p('请输入您要接入地区的区号', 3),
  agent: p('正在为您转接人工服务,请稍候', 3),
  capital: p('省级咨询服务请按1、长春市咨询服务请按2', 4),
  more: p('继续其他服务请按1,结束请按2', 4),
  goodbye: p('感谢您的来电,再见', 2),
} as const;

const queue = (center: string, q = 'general', priority = 0): QueueTarget => ({ center, queue: q, priority });

export const ACTIONS = {
  pension: { kind: 'info', prompt: PROMPTS.pension, then: 'more' },
  employment: { kind: 'info', prompt: PROMPTS.employment, then: 'more' },
  voicemail: { kind: 'voicemail', prompt: PROMPTS.voicemail, maxDuration: 120, then: 'more' },
  fax: { kind: 'fax', prompt: PROMPTS.fax, then: 'more' },
  account: {
    kind: 'account',
    idPrompt: PROMPTS.idNumber,
    pinPrompt: PROMPTS.pin,
    resultPrompt: PROMPTS.result,
    failPrompt: PROMPTS.fail,
    idDigits: 18,
    pinDigits: 6,
    maxFailures: 3,
    then: 'more',
    onFailure: { kind: 'hangup', prompt: PROMPTS.goodbye },
  },
  // The queues announce themselves here, as some vendors' menus do; `callsim check` flags
  // that near closing time (see sim/ivr/check/fixtures.ts, which strips them).
  complaint: { kind: 'queue', target: queue('caller', 'complaint', -1), prompt: PROMPTS.complaint },
  transfer: { kind: 'transfer', prompt: PROMPTS.areaCode, digits: 4 },
  agent: { kind: 'queue', target: queue('caller'), prompt: PROMPTS.agent },
  province: { kind: 'queue', target: queue('province') },
  changchun: { kind: 'queue', target: queue('changchun') },
  goodbye: { kind: 'hangup', prompt: PROMPTS.goodbye },
} as const satisfies Record<string, Action>;

const HANGUP: Action = { kind: 'hangup' };

function menu(id: string, parent: string | null, variants: Variant[], extra: Partial<Menu> = {}): Menu {
  return { id, parent, variants, timeout: 8, maxReplays: 2, onNoInput: HANGUP, bargeIn: true, ...extra };
}

const selfService = { '1': { kind: 'menu', target: 'voice' }, '2': ACTIONS.voicemail, '3': ACTIONS.fax, '4': ACTIONS.account } as const;

/** The seed's flow. `bargeIn` applies to every menu but the welcome (default true, as menus default). */
export function hotline12333(options: { bargeIn?: boolean } = {}): IvrSpec {
  const extra = options.bargeIn === undefined ? {} : { bargeIn: options.bargeIn };
  const menus: Menu[] = [
    // Nothing to choose during the welcome, so no key cuts it short.
    menu('welcome', null, [{ when: null, prompts: [PROMPTS.welcome], options: {}, next: { kind: 'menu', target: 'main' } }], { bargeIn: false }),
    menu(
      'main',
      null,
      [
        {
          when: { kind: 'agent-hours', value: true },
          prompts: [PROMPTS.main],
          options: { ...selfService, '5': ACTIONS.complaint, '9': ACTIONS.transfer, '0': { kind: 'menu', target: 'agent' } },
          next: null,
        },
        { when: null, prompts: [PROMPTS.hours, PROMPTS.mainReduced], options: selfService, next: null },
      ],
      extra,
    ),
    menu('voice', 'main', [{ when: null, prompts: [PROMPTS.voice], options: { '1': ACTIONS.pension, '2': ACTIONS.employment }, next: null }], extra),
    menu(
      'agent',
      'main',
      [
        // Changchun (the capital) callers choose the province or the city center. Hours are
        // tested again: a key pressed here after closing must not reach a queue.
        {
          when: { kind: 'all', of: [{ kind: 'agent-hours', value: true }, { kind: 'area-code', codes: ['0431'] }] },
          prompts: [PROMPTS.capital],
          options: { '1': ACTIONS.province, '2': ACTIONS.changchun },
          next: null,
        },
        { when: { kind: 'agent-hours', value: true }, prompts: [], options: {}, next: ACTIONS.agent },
        { when: null, prompts: [PROMPTS.hours], options: {}, next: { kind: 'menu', target: 'main' } },
      ],
      extra,
    ),
    menu(
      'more',
      'main',
      [{ when: null, prompts: [PROMPTS.more], options: { '1': { kind: 'menu', target: 'main' }, '2': ACTIONS.goodbye }, next: null }],
      extra,
    ),
  ];
  return {
    entry: 'welcome',
    menus: Object.fromEntries(menus.map((m) => [m.id, m])),
    invalidPrompt: PROMPTS.invalid,
    answerDelay: 0,
    file: 'sim/ivr/fixtures.ts',
    queueOutsideHours: false,
  };
}

export const IN_HOURS: IvrContext = { agentHours: true, holiday: false, areaCode: '0432' };
export const OUT_OF_HOURS: IvrContext = { agentHours: false, holiday: false, areaCode: '0432' };
export const CAPITAL_IN_HOURS: IvrContext = { ...IN_HOURS, areaCode: '0431' };
