// Scenario documents used as worked examples: the full one shows every key of the format,
// the minimal one only what is required. Tests resolve them and mutate them; the docs
// quote them.

/** Every key of the format, each with a value other than its default where it can. */
export const FULL_EXAMPLE = `name: Erlang C check
seed: 42
start: 2026-07-06T00:00:00+08:00
duration: 1d
warmup: 1h
ringPeriod: 5s
trunks: 400
calendar:
  timeZone: Asia/Shanghai
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
ivr: none
centers:
  - id: province
    name: Jilin province 12333
    areaCodes: ["0431", "0432"]
    trunks: 60
    groups:
      - id: general
        count: 14
        talk: { lognormal: { mean: 240s, sd: 120s } }
        wrapUp: { empirical: [30s, 45s, { value: 60s, weight: 2 }] }
        answerDelay: 2s
      - count: 3
        talk: { gamma: { mean: 4m, cv: 0.8 } }
        wrapUp: { constant: 15s }
  - id: changchun
    trunks: unlimited
    groups:
      - { id: pension, count: 8 }
routing: { strategy: longest-idle }
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
