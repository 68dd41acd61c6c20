import test from 'ava';
import { metricInfo } from '../scenario/metric-names.js';
import { Counters, DURATION_METRICS, ServiceLevelCounts } from './collector.js';
import { rates } from './rates.js';

test('every metric the collector records is in the catalog, with the same kind', (t) => {
  for (const [name, unit] of Object.entries(DURATION_METRICS)) {
    const info = metricInfo(name);
    t.truthy(info, name);
    t.is(info?.kind, unit === 'rings' ? 'count' : 'duration', name);
  }
  const c = new Counters();
  c.ivrAnswered = 1; // IVR rates appear only with an IVR
  c.rated = 1; // satisfaction only when someone rated
  c.callbacksClosed = 1; // callback rates only with callbacks
  for (const name of Object.keys(rates(c, [new ServiceLevelCounts(20)], 'strict'))) {
    const base = name.replace(/\(.*\)$/, '');
    t.is(metricInfo(base)?.kind, 'rate', name);
  }
});
