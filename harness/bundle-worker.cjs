// One warm Lambda instance: loads a built bundle once (the cold start) and serves invocations sent over
// IPC, one at a time, like the Node.js runtime does. Plain CommonJS so it starts without a TypeScript loader.
// What it reports follows Lambda's Node.js runtime (aws-lambda-nodejs-runtime-interface-client: Errors.js,
// UserFunction.js, Runtime.js, index.mjs); contract §6, "Runtime errors".
'use strict';
const { existsSync } = require('node:fs');
const { basename } = require('node:path');
const { types } = require('node:util');
const { createLambdaContext } = require('./lambda-context.cjs');

const bundlePath = process.env.LOCAL_LAMBDA_BUNDLE;
const exportName = process.env.LOCAL_LAMBDA_EXPORT || 'handler';
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || 'local-function';
// The template's `Handler` (`handler.handler`): the bundle's file name without its extension, then the export.
const moduleName = basename(String(bundlePath)).replace(/\.[cm]?js$/, '');
const handlerString = `${moduleName}.${exportName}`;
// Where Lambda's runtime loads user code from: the last entry of its "Require stack".
const RUNTIME_ENTRY = '/var/runtime/index.mjs';
// Lambda's runtime exits with these after reporting an uncaught exception or an unhandled rejection.
const EXIT_UNCAUGHT_EXCEPTION = 129;
const EXIT_UNHANDLED_REJECTION = 128;

// As Lambda's Node.js runtime reports a thrown value (Errors.js, toRapidResponse): an Error by name, message
// and stack lines; anything else by its typeof (`throw 'no'`: errorType "string").
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

// One of the runtime's own errors (`Runtime.ImportModuleError`, …): its trace starts with the same
// `<errorType>: <errorMessage>` lines; the runtime's own frames are not made up.
function runtimeError(errorType, errorMessage) {
  return { errorType, errorMessage, trace: `${errorType}: ${errorMessage}`.split('\n') };
}

// What loading the bundle failed with, as the runtime wraps it (UserFunction.js, _loadUserApp): a syntax
// error is Runtime.UserCodeSyntaxError, a module that cannot be found Runtime.ImportModuleError; both carry
// the original error's text (`Error: Cannot find module 'x'\nRequire stack:\n- …`). Anything else as thrown.
function loadErrorOf(error) {
  if (error instanceof SyntaxError) {
    return { ...errorOf(error), errorType: 'Runtime.UserCodeSyntaxError', errorMessage: String(error) };
  }
  if (error !== null && typeof error === 'object' && error.code === 'MODULE_NOT_FOUND') {
    // The worker stands where Lambda's runtime does at the bottom of the require stack.
    const text = String(error).replace(`- ${__filename}`, `- ${RUNTIME_ENTRY}`);
    return runtimeError('Runtime.ImportModuleError', text);
  }
  return errorOf(error);
}

function load() {
  if (!existsSync(bundlePath)) {
    // Lambda looks the module up by the Handler's file part, from its runtime: that is what it names.
    return {
      initError: runtimeError(
        'Runtime.ImportModuleError',
        `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${RUNTIME_ENTRY}`,
      ),
    };
  }
  let loaded;
  try {
    loaded = require(bundlePath);
  } catch (error) {
    return { initError: loadErrorOf(error) };
  }
  const handler = loaded?.[exportName];
  if (!handler) {
    return {
      initError: runtimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`),
    };
  }
  if (typeof handler !== 'function') {
    return { initError: runtimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`) };
  }
  return { handler };
}

const initStarted = performance.now();
const { handler, initError } = load();
const initDurationMs = performance.now() - initStarted;

function contextFor(timeoutMs, requestId) {
  return createLambdaContext({
    functionName,
    memoryMb: Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 256,
    region: process.env.AWS_REGION,
    timeoutMs,
    ...(typeof requestId === 'string' ? { requestId } : {}),
  });
}

// Logs travel on stdout and replies on the IPC channel; a marker line written after the handler's own
// lines lets the parent know it has every log line of an invocation before it reports the reply.
function reply(message, done) {
  process.stdout.write(`\u0000END ${message.id}\n`, () => process.send(message, done));
}

// The invocation in progress, if any: an uncaught exception or an unhandled rejection fails it.
let current;

// As the runtime does (index.mjs, Runtime.js): the error is logged and becomes the answer of the invocation in
// progress, then the process exits, so the next invocation starts on a fresh instance.
function failAndExit(label, failure, exitCode) {
  console.error(
    `${label}\t${JSON.stringify({ errorType: failure.errorType, errorMessage: failure.errorMessage, stack: failure.trace })}`,
  );
  const id = current;
  current = undefined;
  if (id === undefined) {
    process.send({ kind: 'exiting' }, () => process.exit(exitCode));
    return;
  }
  reply({ id, kind: 'threw', ...failure, initDurationMs, exiting: true }, () => process.exit(exitCode));
}

process.on('uncaughtException', (error) => {
  failAndExit('Uncaught Exception', errorOf(error), EXIT_UNCAUGHT_EXCEPTION);
});
// Errors.js: an Error named on its prototype (so its stack starts with the name), whose message is the
// rejection reason as text.
class UnhandledPromiseRejection extends Error {}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

process.on('unhandledRejection', (reason) => {
  let text;
  try {
    text = reason === undefined ? undefined : String(reason);
  } catch {
    text = undefined;
  }
  failAndExit(
    'Unhandled Promise Rejection',
    errorOf(new UnhandledPromiseRejection(text)),
    EXIT_UNHANDLED_REJECTION,
  );
});

process.on('message', async (message) => {
  const { id, event, timeoutMs, requestId } = message;
  if (initError !== undefined) {
    reply({ id, kind: 'threw', ...initError, initDurationMs });
    return;
  }
  current = id;
  let outcome;
  try {
    const value = await handler(event, contextFor(timeoutMs, requestId));
    // Lambda serialises the result; undefined becomes null.
    outcome = { id, kind: 'returned', value: value === undefined ? null : value, initDurationMs };
  } catch (error) {
    outcome = { id, kind: 'threw', ...errorOf(error), initDurationMs };
  }
  // Already answered: an uncaught exception ended this invocation while the handler was still running.
  if (current !== id) return;
  current = undefined;
  reply(outcome);
});
process.send({ kind: 'ready', initDurationMs, initError });
