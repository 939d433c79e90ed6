// One warm instance: load the bundle once, run BENCH_WARMUP untimed invocations, then time BENCH_INVOCATIONS
// more, one after the other, as Lambda sends them to one instance.
'use strict';
const { invokeOnce, loadHandler, readEventText, report } = require('./runtime.cjs');

async function main() {
  const { handler } = loadHandler();
  const eventText = readEventText();
  const warmup = Number(process.env.BENCH_WARMUP);
  const invocations = Number(process.env.BENCH_INVOCATIONS);
  for (let index = 0; index < warmup; index += 1) await invokeOnce(handler, eventText);
  const samplesUs = [];
  const outcomes = new Set();
  for (let index = 0; index < invocations; index += 1) {
    const { durationMs, outcome } = await invokeOnce(handler, eventText);
    samplesUs.push(durationMs * 1000);
    outcomes.add(outcome);
  }
  report({ samplesUs, outcomes: [...outcomes] });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
