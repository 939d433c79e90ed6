// One warm Lambda instance: loads a built bundle once (the cold start) and serves invocations sent over
// IPC, one at a time, like the Node.js runtime does. Plain CommonJS so it starts without a TypeScript loader.
'use strict';
const { types } = require('node:util');
const { createLambdaContext } = require('./lambda-context.cjs');

const bundlePath = process.env.LOCAL_LAMBDA_BUNDLE;
const exportName = process.env.LOCAL_LAMBDA_EXPORT || 'handler';
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || 'local-function';

// As Lambda's Node.js runtime reports a thrown value (aws-lambda-nodejs-runtime-interface-client, Errors.js):
// an Error by name, message and stack lines; anything else by its typeof (`throw 'no'`: errorType "string").
function isErrorLike(value) {
  if (typeof value !== 'object' || value === null) return false;
  return [value.name, value.message, value.stack].every((field) => typeof field === 'string' && field !== '');
}

function errorOf(error) {
  try {
    if (types.isNativeError(error) || isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

let handler;
let initError;
const initStarted = performance.now();
try {
  const loaded = require(bundlePath);
  handler = loaded[exportName];
  if (typeof handler !== 'function') {
    initError = {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${bundlePath}.${exportName} is undefined or not exported`,
    };
  }
} catch (error) {
  initError = errorOf(error);
}
const initDurationMs = performance.now() - initStarted;

function contextFor(timeoutMs) {
  return createLambdaContext({
    functionName,
    memoryMb: Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 256,
    region: process.env.AWS_REGION,
    timeoutMs,
  });
}

// Logs travel on stdout and replies on the IPC channel; a marker line written after the handler's own
// lines lets the parent know it has every log line of an invocation before it reports the reply.
function reply(message) {
  process.stdout.write(`\u0000END ${message.id}\n`, () => process.send(message));
}

process.on('message', async (message) => {
  const { id, event, timeoutMs } = message;
  if (initError !== undefined) {
    reply({ id, kind: 'threw', ...initError, initDurationMs });
    return;
  }
  try {
    const value = await handler(event, contextFor(timeoutMs));
    // Lambda serialises the result; undefined becomes null.
    reply({ id, kind: 'returned', value: value === undefined ? null : value, initDurationMs });
  } catch (error) {
    reply({ id, kind: 'threw', ...errorOf(error), initDurationMs });
  }
});
process.send({ kind: 'ready', initDurationMs, initError });
