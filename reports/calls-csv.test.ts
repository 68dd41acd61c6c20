import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallRecord } from '../sim/acd/records.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { Simulation } from '../sim/kernel/simulation.js';
import { collectorOptions, MetricsCollector } from '../sim/metrics/collector.js';
import { callRecord } from '../sim/metrics/test-records.js';
import { DRAIN_LIMIT } from '../sim/metrics/simulate.js';
import { HotlineModel } from '../sim/scenario/hotline-model.js';
import { exp, queueScenario } from '../test/scenario-builder.js';
import { CALLS_CSV_COLUMNS, callRow, CallsCsvWriter, concatCallsCsv } from './calls-csv.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'callsim-csv-'));

/** RFC 4180, strictly: quoted fields may hold commas, CRLF and doubled quotes; every record ends in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let at = 0;
  while (at < text.length) {
    let value = '';
    if (text[at] === '"') {
      at++;
      for (;;) {
        const q = text.indexOf('"', at);
        if (q < 0) throw new Error('unclosed quote');
        value += text.slice(at, q);
        at = q + 1;
        if (text[at] === '"') {
          value += '"';
          at++;
        } else break;
      }
    } else {
      const end = text.slice(at).search(/[,\r\n"]/);
      value = end < 0 ? text.slice(at) : text.slice(at, at + end);
      at += value.length;
      if (text[at] === '"') throw new Error(`quote inside an unquoted field at ${at}`);
    }
    row.push(value);
    if (text[at] === ',') at++;
    else if (text.startsWith('\r\n', at)) {
      at += 2;
      rows.push(row);
      row = [];
    } else throw new Error(`expected , or CRLF at ${at}`);
  }
  if (row.length > 0) throw new Error('the last record does not end in CRLF');
  return rows;
}

const num = (s: string): number => (s === '' ? NaN : s === 'inf' ? Infinity : Number(s));
const close = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 0.0005 + 1e-9;

test('a simulated run: one row per call record, fields as recorded, the collector fed as well', async (t) => {
  const scenario = queueScenario({ rate: 1 / 10, agents: 3, talk: exp(40), patience: exp(60), duration: 8 * 3600, warmup: 1800, redialProbability: 0.3 });
  const file = join(tmp(), 'calls.csv');
  const records: CallRecord[] = [];
  const collector = new MetricsCollector(collectorOptions(scenario));
  const tee = {
    call: (r: CallRecord) => {
      records.push(r);
      collector.call(r);
    },
    work: collector.work.bind(collector),
    staffed: collector.staffed.bind(collector),
    callback: collector.callback.bind(collector),
    agentEvent: collector.agentEvent.bind(collector),
  };
  const writer = new CallsCsvWriter(file, { replication: 4, warmup: scenario.warmup, next: tee });
  const sim = new Simulation();
  const model = new HotlineModel(scenario, sim, new RandomStreams(scenario.seed), writer);
  model.start();
  sim.run(scenario.duration + DRAIN_LIMIT);
  model.finish();
  await writer.close();

  const rows = parseCsv(readFileSync(file, 'utf8'));
  t.deepEqual(rows[0], [...CALLS_CSV_COLUMNS]);
  const body = rows.slice(1);
  t.true(records.length > 2000, `${records.length} calls: enough to cross the write buffer many times`);
  t.is(body.length, records.length);
  t.is(writer.rows, records.length);
  // The collector behind the writer saw every call (after the warm-up, as it counts).
  t.is(collector.counters.offered, records.filter((r) => r.arrival >= scenario.warmup).length);
  const col = (name: (typeof CALLS_CSV_COLUMNS)[number]): number => CALLS_CSV_COLUMNS.indexOf(name);
  body.forEach((row, i) => {
    const r = records[i]!;
    if (row.length !== CALLS_CSV_COLUMNS.length) t.fail(`row ${i}: ${row.length} fields`);
    if (row[col('id')] !== String(r.id) || row[col('outcome')] !== r.outcome || row[col('replication')] !== '4') t.fail(`row ${i}: ${row.join(',')}`);
    for (const [c, v] of [['arrival', r.arrival], ['queued', r.queued], ['answered', r.answered], ['left', r.left], ['virtual_wait', r.virtualWait]] as const) {
      if (!close(num(row[col(c)]!), v)) t.fail(`row ${i} ${c}: ${row[col(c)]} vs ${v}`);
    }
    if (row[col('warmup')] !== (r.arrival < scenario.warmup ? '1' : '0')) t.fail(`row ${i}: warmup`);
    if (row[col('redialed')] !== (r.redialed ? '1' : '0')) t.fail(`row ${i}: redialed`);
  });
  // Times have millisecond decimals; queue_wait is the metric's (to the answer, else to leaving).
  const waited = body.find((row) => row[col('outcome')] === 'answered' && row[col('queue_wait')] !== '0.000')!;
  t.regex(waited[col('arrival')]!, /^\d+\.\d{3}$/);
  t.is(num(waited[col('queue_wait')]!), Number((num(waited[col('answered')]!) - num(waited[col('queued')]!)).toFixed(3)));
  const abandoned = body.find((row) => row[col('outcome')] === 'abandoned')!;
  t.true(close(num(abandoned[col('queue_wait')]!), num(abandoned[col('left')]!) - num(abandoned[col('queued')]!)));
  t.true(body.some((row) => row[col('warmup')] === '1') && body.some((row) => row[col('redialed')] === '1'));
  collector.destroy();
});

test('RFC 4180 quoting of commas, quotes and line breaks; empty for never, inf for an unbounded virtual wait', (t) => {
  const r = callRecord({ areaCode: '04,31', ivrPath: 'welcome "main" 0', agent: 'a\r\nb', rating: 4, virtualWait: Infinity, queued: 1.23456 });
  const line = callRow(r, 0, 0);
  const [row, ...rest] = parseCsv(line);
  t.is(rest.length, 0);
  const col = (name: (typeof CALLS_CSV_COLUMNS)[number]): string => row![CALLS_CSV_COLUMNS.indexOf(name)]!;
  t.is(col('area_code'), '04,31');
  t.is(col('ivr_path'), 'welcome "main" 0');
  t.is(col('agent'), 'a\r\nb');
  t.is(col('queued'), '1.235');
  t.is(col('answered'), '');
  t.is(col('virtual_wait'), 'inf');
  t.is(col('rating'), '4');
  t.is(callRow(callRecord(), 0, 0).split(',')[CALLS_CSV_COLUMNS.indexOf('rating')], '');
});

test('parts written per replication concatenate into one file with one header', async (t) => {
  const dir = tmp();
  const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.csv`));
  for (const [i, p] of parts.entries()) {
    const w = new CallsCsvWriter(p, { replication: i });
    for (let k = 0; k < 3 + i; k++) w.call(callRecord({ arrival: k }));
    await w.close();
    await w.close();
    t.throws(() => w.call(callRecord()), { message: /closed/ });
  }
  writeFileSync(join(dir, 'calls.csv'), 'stale');
  await concatCallsCsv(join(dir, 'calls.csv'), parts);
  const rows = parseCsv(readFileSync(join(dir, 'calls.csv'), 'utf8'));
  t.deepEqual(rows[0], [...CALLS_CSV_COLUMNS]);
  t.deepEqual(rows.slice(1).map((r) => r[0]), ['0', '0', '0', '1', '1', '1', '1', '2', '2', '2', '2', '2']);
  // Appending without a header continues a file.
  const more = new CallsCsvWriter(join(dir, 'calls.csv'), { append: true, header: false, replication: 3 });
  more.call(callRecord());
  await more.close();
  t.is(parseCsv(readFileSync(join(dir, 'calls.csv'), 'utf8')).length, 14);
});
