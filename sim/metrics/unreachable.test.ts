import test from 'ava';
import { newLoadCounters, type LoadCounters } from './load-run.js';
import { unreachableBecause } from './unreachable.js';

function counters(o: Partial<LoadCounters>): LoadCounters {
  return { ...newLoadCounters(), ...o };
}

test('every call ended in silence: the target is unreachable, and the reason says how each ended', (t) => {
  t.is(unreachableBecause(counters({ started: 20, failed: { '408': 20 } }), 30), 'none of 20 calls got any response (20 timed out with no response to the INVITE or its retransmissions)');
  t.is(unreachableBecause(counters({ started: 1, failed: { 'no answer': 1 } }), 1.5), 'none of 1 call got any response (1 heard nothing within the 1.5s ring timeout)');
  t.is(
    unreachableBecause(counters({ started: 5, failed: { '408 Connection Error: connect ECONNREFUSED 127.0.0.1:9': 3, 'no answer': 2 } }), 30),
    'none of 5 calls got any response (3 failed: Connection Error: connect ECONNREFUSED 127.0.0.1:9; 2 heard nothing within the 30s ring timeout)',
  );
  t.is(unreachableBecause(counters({ started: 4, failed: { 'no answer': 3 } }), 60), 'none of 4 calls got any response (3 heard nothing within the 1m ring timeout; 1 cut short)');
});

test('a target that answered anything, refused anything, or was never called is not unreachable', (t) => {
  t.is(unreachableBecause(counters({ started: 5, responded: 1, failed: { 'no answer': 4, '503': 1 } }), 30), undefined);
  t.is(unreachableBecause(counters({ started: 5, responded: 5, failed: { '408': 5 } }), 30), undefined, 'its own 408s');
  t.is(unreachableBecause(counters({ started: 5, failed: { 'no answer': 4, '503': 1 } }), 30), undefined, 'a refusal is an answer, whatever else was counted');
  t.is(unreachableBecause(counters({ started: 0, scheduled: 0 }), 30), undefined);
  t.is(unreachableBecause(counters({ started: 3 }), 30), undefined, 'no call ended in silence: nothing known');
  t.is(unreachableBecause(counters({ started: 3, failed: { 'no answer': 2, aborted: 1 } }), 30), undefined, 'a call with no known outcome (SIPp) may have heard something');
});
