'use strict';
// Worker-thread stand-ins for the QR decoder, to show what the pool does when a decode goes wrong
// (test/unit/qrDecodePool.test.ts). Plain JavaScript: a worker thread cannot load TypeScript.

/** Keeps allocating until the worker's heap cap (resourceLimits) ends it: ERR_WORKER_OUT_OF_MEMORY. */
exports.exhaustHeap = function exhaustHeap() {
  const hoard = [];
  for (;;) hoard.push({ index: hoard.length, text: `row ${hoard.length}`, more: new Array(64).fill(hoard.length) });
};

/** Never finishes (a decode stuck on a hostile image): only the pool's time limit ends it. */
exports.spin = function spin() {
  for (;;) Math.sqrt(Math.random());
};

/** The worker thread exits in the middle of a decode. */
exports.exit = function exit() {
  process.exit(3);
};
