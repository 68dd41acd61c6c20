// calls.csv: one row per call attempt, streamed to a file as the model records it, for people
// who want to look at individual calls in a spreadsheet, pandas or R. Nothing is kept: rows are
// batched into a small buffer and written synchronously, so a million-call run costs the
// buffer, not the rows (the model runs synchronously, so a stream's backpressure could never be
// honoured anyway). RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line
// break in double quotes. Columns and units are in docs/outputs.md.

import { closeSync, createReadStream, createWriteStream, fsyncSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import type { AgentSpan, CallRecord, RecordSink } from '../sim/acd/records.js';

/** The columns, in order; times are seconds since the run's start, with TIME_DECIMALS decimals. */
export const CALLS_CSV_COLUMNS = [
  'replication',
  'id',
  'caller',
  'attempt',
  'warmup',
  'first_arrival',
  'arrival',
  'area_code',
  'center',
  'dispatched_from',
  'queue',
  'priority',
  'outcome',
  'ringing',
  'ivr_answered',
  'ivr_left',
  'ivr_exit',
  'ivr_path',
  'invalid_keys',
  'self_service',
  'voicemails',
  'queued',
  'ring_start',
  'answered',
  'left',
  'wrap_end',
  'queue_wait',
  'virtual_wait',
  'agent',
  'group',
  'ring_no_answers',
  'hold_time',
  'hold_violations',
  'silent',
  'rating',
  'callback_promised',
  'redialed',
  'stranded',
] as const;

/** Milliseconds: the model's times are exact to far better, a reader rarely needs more. */
export const TIME_DECIMALS = 3;

/** Bytes buffered before a write. */
const FLUSH_BYTES = 1 << 16;

export interface CallsCsvOptions {
  /** The `replication` column (0-based index of the replication). Default 0; see `replication` to change it between runs. */
  readonly replication?: number;
  /** Seconds of warm-up: rows of calls offered before it get `warmup` = 1 (they are not in the totals). Default 0. */
  readonly warmup?: number;
  /** Write the header row (default true); false to append rows to a file that has one. */
  readonly header?: boolean;
  /** Append to the file instead of replacing it (default false). */
  readonly append?: boolean;
  /** Also hand every record to this sink (e.g. the metrics collector), so one sink feeds both; see `next` to change it between runs. */
  readonly next?: RecordSink;
}

/**
 * A RecordSink that writes each CallRecord as a row of calls.csv (and passes every record on to
 * `next` when given). Call `close()` when the run is over.
 */
export class CallsCsvWriter implements RecordSink {
  /** The `replication` column of the rows written from now on. */
  replication: number;
  /** Rows written so far (header excluded). */
  rows = 0;
  /** Where every record is passed on from now on (each replication's collector in turn). */
  next: RecordSink | undefined;
  private readonly fd: number;
  private readonly warmup: number;
  private buffer = '';
  private closed = false;

  constructor(
    readonly path: string,
    options: CallsCsvOptions = {},
  ) {
    this.replication = options.replication ?? 0;
    this.warmup = options.warmup ?? 0;
    this.next = options.next;
    this.fd = openSync(path, options.append ? 'a' : 'w');
    if (options.header !== false) this.buffer = `${CALLS_CSV_COLUMNS.join(',')}\r\n`;
  }

  call(r: CallRecord): void {
    if (this.closed) throw new Error(`calls.csv: ${this.path} is closed`);
    this.buffer += callRow(r, this.replication, this.warmup);
    this.rows++;
    if (this.buffer.length >= FLUSH_BYTES) this.flush();
    this.next?.call(r);
  }

  work(span: AgentSpan): void {
    this.next?.work(span);
  }

  staffed(span: AgentSpan): void {
    this.next?.staffed(span);
  }

  callback(...args: Parameters<NonNullable<RecordSink['callback']>>): void {
    this.next?.callback?.(...args);
  }

  agentEvent(...args: Parameters<NonNullable<RecordSink['agentEvent']>>): void {
    this.next?.agentEvent?.(...args);
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    let at = 0;
    while (at < data.length) at += writeSync(this.fd, data, at, data.length - at);
  }

  /** Writes the rest and closes the file; closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}

/** One row, CRLF-terminated (concatenated by hand: this runs once per call of the run). */
export function callRow(r: CallRecord, replication: number, warmup: number): string {
  // As the metric queue_wait counts it (sim/metrics/call-metrics.ts): to the answer, else to leaving.
  const queueWait = r.queued === r.queued ? (r.outcome === 'answered' ? r.answered : r.left) - r.queued : NaN;
  return (
    `${replication},${r.id},${r.caller},${r.attempt},${flag(r.arrival < warmup)},${time(r.firstArrival)},${time(r.arrival)},` +
    `${text(r.areaCode)},${text(r.center)},${text(r.dispatchedFrom)},${text(r.queue)},${r.priority},${text(r.outcome)},` +
    `${time(r.ringing)},${time(r.ivrAnswered)},${time(r.ivrLeft)},${text(r.ivrExit)},${text(r.ivrPath)},${r.invalidKeys},${r.selfService},${r.voicemails},` +
    `${time(r.queued)},${time(r.ringStart)},${time(r.answered)},${time(r.left)},${time(r.wrapEnd)},${time(queueWait)},${time(r.virtualWait)},` +
    `${text(r.agent)},${text(r.group)},${r.ringNoAnswers},${time(r.holdTime)},${r.holdViolations},${flag(r.silent)},` +
    `${r.rating === r.rating ? r.rating : ''},${flag(r.callbackPromised)},${flag(r.redialed)},${flag(r.stranded)}\r\n`
  );
}

/** Seconds with fixed decimals; empty for never (NaN); `inf` for a virtual wait no agent would have ended. */
function time(x: number): string {
  if (x !== x) return '';
  if (x === Infinity) return 'inf';
  return x.toFixed(TIME_DECIMALS);
}

const flag = (b: boolean): string => (b ? '1' : '0');

/** A text field, quoted when it holds a comma, a quote or a line break. */
function text(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Appends the rows of CSV files written with the header (one per replication or worker, in
 * order) to `dest`, which gets one header: how replications run apart become one calls.csv.
 */
export async function concatCallsCsv(dest: string, parts: readonly string[]): Promise<void> {
  const out = createWriteStream(dest);
  try {
    let first = true;
    for (const part of parts) {
      let skipping = !first;
      for await (const chunk of createReadStream(part)) {
        let data = chunk as Buffer;
        if (skipping) {
          const nl = data.indexOf(0x0a);
          if (nl < 0) continue;
          data = data.subarray(nl + 1);
          skipping = false;
        }
        if (!out.write(data)) await once(out, 'drain');
      }
      first = false;
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
}
