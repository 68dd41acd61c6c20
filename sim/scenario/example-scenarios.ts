// Scenario documents used as worked examples: the full one shows every key of the format,
// the minimal one only what is required. Tests resolve them and mutate them; the docs
// quote them.

/** Every key of the format, each with a value other than its default where it can. */
export const FULL_EXAMPLE = `name: Erlang C check
seed: 42
start: 2026-07-06T00:00:00+08:00
duration: 1d
warmup: 1h
interval: 30m
ringPeriod: 5s
trunks: 400
calendar:
  timeZone: Asia/Shanghai
  seasons:
    - { name: summer, from: "05-01", to: "09-30", agentHours: { open: "08:00", close: "18:00" } }
    - { name: winter, from: "10-01", to: "04-30", agentHours: { open: "08:30", close: "17:00" } }
  agentDays: [mon, tue, wed, thu, fri, sat]
  holidays: ["2026-10-01", "2026-10-02"]
  workdays: ["2026-10-11"]
arrivals:
  profile:
    - { at: "00:00", rate: 20/h }
    - { at: "08:00", rate: 900/h }
    - { at: "17:30", rate: 100/30m }
  days: { mon: 1, tue: 1, wed: 1, thu: 1, fri: 1, sat: 0.6, sun: 0.5 }
  scale: 1.2
callers:
  patience: { exponential: { mean: 5m } }
  redial:
    probability: 0.3
    delay: { uniform: { min: 1m, max: 10m } }
    maxAttempts: 4
  areaCodes: { "0431": 0.6, "0432": 0.4 }
  ivr:
    choices:
      main: { "1": 0.7, "5": 0.2, silent: 0.05, hangup: 0.05 }
    bargeIn: 0.4
    think: { uniform: { min: 1s, max: 3s } }
    mistake: 0.03
    silent: 0.02
    accountSuccess: 0.9
    digitTime: 500ms
    transferAreaCodes: { "0432": 1 }
ivr:
  entry: main
  answerDelay: 2s
  queueOutsideHours: true
  invalidPrompt: { text: "选择错误,请重新输入", duration: 2s }
  menus:
    main:
      timeout: 6s
      maxReplays: 1
      onNoInput: { queue: { center: province } }
      bargeIn: false
      variants:
        - when: { any: [{ holiday: true }, { not: { agentHours: true } }] }
          prompts: [{ text: "现在是自动服务时间", duration: 3s }]
          next: { menu: night }
        - prompts: [{ text: "咨询请按1,投诉请按5", duration: 4s }]
          options:
            "1": { queue: { center: caller } }
            "5": { queue: { center: province, queue: complaint, priority: -1 } }
    night:
      parent: main
      prompts: [{ text: "录音留言请按2,结束请按井号键", duration: 4s }]
      options:
        "2": { voicemail: { prompt: { text: "请在提示音后留言", duration: 3s }, maxDuration: 1m, then: main } }
        "#": hangup
centers:
  - id: province
    name: Jilin province 12333
    areaCodes: ["0431", "0432"]
    trunks: 60
    waitingRoom: 40
    dispatch:
      - { to: changchun, after: 60s }
      - { to: any, queueLongerThan: 10 }
      - { to: changchun, closed: true, noFreeAgent: true }
    groups:
      - id: general
        count: 14
        talk: { lognormal: { mean: 240s, sd: 120s } }
        wrapUp: { empirical: [30s, 45s, { value: 60s, weight: 2 }] }
        answerDelay: 2s
        shift:
          - { days: [mon, tue, wed, thu, fri], start: "08:00", end: "18:00" }
          - { days: [sat], start: "22:00", end: "06:00" }
        lunch: { from: "11:30", to: "13:30", duration: 30m }
        training: { day: thu, from: "14:00", to: "17:00", share: 0.25 }
        notReady: { every: { exponential: { mean: 1h } }, duration: { uniform: { min: 1m, max: 5m } } }
        ringNoAnswer: { rings: 4, notReady: 2m }
        hold: { probability: 0.2, duration: { lognormal: { mean: 40s, sd: 30s } }, limit: 45s, returns: 0.9 }
        wrapUpLimit: 40s
        skills: { general: 1, complaint: 5 }
      - count: 3
        talk: { gamma: { mean: 4m, cv: 0.8 } }
        wrapUp: { constant: 15s }
        shift: agent-hours
  - id: changchun
    trunks: unlimited
    waitingRoom: unlimited
    dispatch: [{ to: province, noFreeAgent: true }]
    groups:
      - { id: pension, count: 8 }
routing: { strategy: skills }
callbacks:
  deadline: 20m
  fromCalls: 0.05
  reach: 0.7
  attempts: 2
  retryAfter: 15m
  ringTime: 25s
  talk: { exponential: { mean: 2m30s } }
conversation:
  silentShare: 0.01
  greetInterval: 4s
  ratingShare: 0.5
  ratingWeights: [1, 2, 3, 10, 25]
serviceLevel: { threshold: 15s, definition: exclude-short-abandons, shortAbandon: 3s }
sla:
  connect_rate: [">= 0.95"]
  service_level(20s): [">= 0.80"]
  agent_ring_rings: ["p(95) <= 3"]
  abandon_rate: "<= 0.05"
`;

/** Only what is required: arrivals and one center with one group. */
export const MINIMAL_EXAMPLE = `arrivals:
  rate: 100/30m
centers:
  - id: province
    groups:
      - count: 14
`;
