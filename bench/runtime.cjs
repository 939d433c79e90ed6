// What the two benchmark runners share: loading the handler, a Lambda context shaped like the Node.js
// runtime's (harness/lambda-context.cjs), one invocation, and the report file. Plain CommonJS so a bare
// `node` runs it, no TypeScript loader in the measured process. Only `node:fs`, which Node has loaded before
// any user code, and the context factory, which loads nothing when given its ids: whatever else this file
// loaded (node:crypto costs several ms) would be charged to the bare handler.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createLambdaContext } = require('../harness/lambda-context.cjs');

const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || 'local-function';
let invocations = 0;

/** The handler export of BENCH_BUNDLE, and how long `require()` took (the bundle's init, in ms). */
function loadHandler() {
  const started = performance.now();
  const loaded = require(process.env.BENCH_BUNDLE);
  const requireMs = performance.now() - started;
  const handler = loaded[process.env.BENCH_EXPORT || 'handler'];
  if (typeof handler !== 'function') throw new Error(`${process.env.BENCH_BUNDLE} exports no handler`);
  return { handler, requireMs };
}

/** The recorded event as JSON text; each invocation parses its own copy, as Lambda hands over fresh JSON. */
function readEventText() {
  return readFileSync(process.env.BENCH_EVENT, 'utf8');
}

function lambdaContext() {
  invocations += 1;
  return createLambdaContext({
    functionName,
    memoryMb: Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 256,
    region: process.env.AWS_REGION,
    timeoutMs: 5000,
    // Unique per invocation and shaped like a UUID; with the fixed log stream, node:crypto stays unloaded.
    requestId: `00000000-0000-4000-8000-${String(invocations).padStart(12, '0')}`,
    logStreamName: 'local/[$LATEST]00000000000000000000000000000000',
  });
}

/** Runs the handler once on a fresh event and context; a throw is an outcome, not a crash. */
async function invokeOnce(handler, eventText) {
  const event = JSON.parse(eventText);
  const context = lambdaContext();
  const started = performance.now();
  let outcome;
  try {
    await handler(event, context);
    outcome = 'returned';
  } catch (error) {
    outcome = `threw ${error instanceof Error ? error.name : typeof error}`;
  }
  return { durationMs: performance.now() - started, outcome };
}

/** Hands the measurements to the parent and ends the process (a pending timer must not keep it alive). */
function report(measurements) {
  writeFileSync(process.env.BENCH_REPORT, JSON.stringify(measurements));
  process.exit(0);
}

module.exports = { invokeOnce, loadHandler, readEventText, report };
