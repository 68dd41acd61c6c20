// ava configuration of `npm run test:interop`: callsim against real SIP peers (SIPp, JsSIP)
// over loopback sockets on the wall clock. Kept out of `npm test` because it runs in real time;
// .ci/run runs both.
export default {
  typescript: { rewritePaths: { './': 'dist/' }, compile: false },
  files: ['test/interop/**/*.test.ts'],
  timeout: '5m',
  workerThreads: false,
  concurrency: 1,
  require: ['./dist/test/fast-check-setup.js'],
};
