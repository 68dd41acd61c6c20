// Throughput of the codec on a typical INVITE with SDP: parse, serialize, and both plus the
// accessors a transaction layer reads. A measuring script, not a test (no timing assertions);
// it reads the real clock, so it lives in bench/. Run: node dist/bench/sip-codec.js [iterations]

import { parse, serialize } from '../sim/sip/codec.js';
import { callId, cseq, from, to, topVia } from '../sim/sip/headers.js';
import { invite } from '../sim/sip/fixtures.js';

function rate(label: string, n: number, fn: () => void): void {
  for (let i = 0; i < Math.min(n, 20000); i++) fn(); // warm up the JIT
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label.padEnd(44)} ${Math.round(n / s).toLocaleString('en-US').padStart(10)} msg/s`);
}

const n = Number(process.argv[2] ?? 200000);
const m = parse(invite);
const bytes = Buffer.from(invite);
console.log(`INVITE with SDP, ${bytes.length} bytes, ${m.headers.length} header values, ${n} iterations`);
rate('parse (string)', n, () => { parse(invite); });
rate('parse (Buffer)', n, () => { parse(bytes); });
rate('serialize', n, () => { serialize(m); });
rate('parse + serialize', n, () => { serialize(parse(invite)); });
rate('parse + topVia/callId/cseq/from/to', n, () => {
  const x = parse(invite);
  topVia(x); callId(x); cseq(x); from(x); to(x);
});
