import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleInvoker, runtimeExitErrorOf } from '../../../harness/bundle-invoker.js';

// Small hand-written bundles stand in for built functions: each shows one way a Lambda can end.
const dir = mkdtempSync(join(tmpdir(), 'bundle-invoker-'));
function bundle(name: string, source: string): string {
  const path = join(dir, `${name}.cjs`);
  writeFileSync(path, source);
  return path;
}

const echo = bundle(
  'echo',
  `exports.handler = async (event, context) => {
     console.log(JSON.stringify({ message: 'seen', mode: process.env.MODE, remaining: context.getRemainingTimeInMillis() > 0 }));
     if (event.hang) await new Promise((r) => setTimeout(r, 10_000));
     if (event.fail) throw Object.assign(new Error('REJECTED: No.'), { name: 'SignUpRejection' });
     return event;
   };`,
);
const brokenInit = bundle(
  'broken-init',
  `throw Object.assign(new Error('Invalid configuration: X must be "true"'), { name: 'ConfigurationError' });`,
);
const noHandler = bundle('no-handler', 'exports.other = async () => null;');
const notAFunction = bundle('not-a-function', "exports.handler = 'not code';");
const missingDependency = bundle(
  'missing-dependency',
  "require('no-such-package'); exports.handler = async () => null;",
);
const syntaxError = bundle('syntax-error', 'exports.handler = async () => {;');
const dies = bundle(
  'dies',
  `exports.handler = async (event, context) => {
     if (event.requestId) return context.awsRequestId;
     if (event.kill) process.kill(process.pid, event.kill);
     if (event.exit !== undefined) process.exit(event.exit);
     if (event.uncaught) setTimeout(() => { throw new TypeError('late failure'); }, 0);
     if (event.rejection) Promise.reject(new Error('nobody waits for this'));
     await new Promise((r) => setTimeout(r, 10_000));
     return 'too late';
   };`,
);
const REQUEST_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Harness: bundleInvoker', () => {
  it('returns what the bundle returns, with its environment and log lines', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: echo, environment: { MODE: 'replay' } });

    // Act
    const result = await invoker.invoke({ hello: 'world' }, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({ kind: 'returned', value: { hello: 'world' } });
    expect(result.logs.map((line) => JSON.parse(line))).toEqual([
      { message: 'seen', mode: 'replay', remaining: true },
    ]);
  });

  it('keeps one warm instance across invocations', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: echo, environment: {} });

    // Act
    await invoker.invoke({}, 5000);
    await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(invoker.coldStarts()).toBe(1);
  });

  it('reports a thrown error as Lambda does', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: echo, environment: {} });

    // Act
    const result = await invoker.invoke({ fail: true }, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({
      kind: 'threw',
      errorType: 'SignUpRejection',
      errorMessage: 'REJECTED: No.',
    });
  });

  it('stops a timed-out instance and starts the next attempt cold', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: echo, environment: {} });

    // Act
    const first = await invoker.invoke({ hang: true }, 300);
    const second = await invoker.invoke({ again: true }, 5000);
    await invoker.close();

    // Assess
    expect(first.kind).toBe('timeout');
    expect(second).toMatchObject({ kind: 'returned', value: { again: true } });
    expect(invoker.coldStarts()).toBe(2);
  });

  it('reports an init failure with its error type and message', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: brokenInit, environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({
      kind: 'threw',
      errorType: 'ConfigurationError',
      errorMessage: 'Invalid configuration: X must be "true"',
    });
  });

  it('reports a missing export as Runtime.HandlerNotFound, naming the handler as the template does', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: noHandler, environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({
      kind: 'threw',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'no-handler.handler is undefined or not exported',
    });
  });

  it('reports an export that is not a function as Runtime.HandlerNotFound', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: notAFunction, environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({
      kind: 'threw',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'not-a-function.handler is not a function',
    });
  });

  it("reports a missing bundle as Lambda's Runtime.ImportModuleError for the handler's module", async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: join(dir, 'handler.cjs'), environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({
      kind: 'threw',
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'handler'\nRequire stack:\n- /var/runtime/index.mjs",
      trace: [
        "Runtime.ImportModuleError: Error: Cannot find module 'handler'",
        'Require stack:',
        '- /var/runtime/index.mjs',
      ],
    });
  });

  it('reports a missing dependency as Runtime.ImportModuleError with its require stack', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: missingDependency, environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({
      kind: 'threw',
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Error: Cannot find module 'no-such-package'\nRequire stack:\n- ${missingDependency}\n- /var/runtime/index.mjs`,
    });
  });

  it('reports a bundle that does not parse as Runtime.UserCodeSyntaxError', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: syntaxError, environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({ kind: 'threw', errorType: 'Runtime.UserCodeSyntaxError' });
    expect((result as { errorMessage: string }).errorMessage).toMatch(/^SyntaxError: /);
  });

  it("gives the function the invocation's request id as context.awsRequestId", async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: dies, environment: {} });

    // Act
    const given = await invoker.invoke({ requestId: true }, 5000, { requestId: REQUEST_ID });
    const made = await invoker.invoke({ requestId: true }, 5000);
    await invoker.close();

    // Assess
    expect(given).toMatchObject({ kind: 'returned', value: REQUEST_ID });
    expect(made).toMatchObject({ kind: 'returned', value: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it.each([
    [{ exit: 1 }, 'Runtime exited with error: exit status 1'],
    [{ exit: 0 }, 'Runtime exited without providing a reason'],
    [{ kill: 'SIGKILL' }, 'Runtime exited with error: signal: killed'],
    [{ kill: 'SIGTERM' }, 'Runtime exited with error: signal: terminated'],
  ])('reports a process that ends during an invocation (%j) as Runtime.ExitError', async (event, reason) => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: dies, environment: {} });

    // Act
    const died = await invoker.invoke(event, 5000, { requestId: REQUEST_ID });
    const next = await invoker.invoke({ requestId: true }, 5000);
    await invoker.close();

    // Assess
    expect(died).toMatchObject({
      kind: 'threw',
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${REQUEST_ID} Error: ${reason}`,
    });
    expect(died).not.toHaveProperty('trace');
    expect(next.kind).toBe('returned');
    expect(invoker.coldStarts()).toBe(2);
  });

  it('answers an uncaught exception with that error, then starts the next invocation cold', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: dies, environment: {} });

    // Act
    const failed = await invoker.invoke({ uncaught: true }, 5000);
    const next = await invoker.invoke({ requestId: true }, 5000);
    await invoker.close();

    // Assess
    expect(failed).toMatchObject({ kind: 'threw', errorType: 'TypeError', errorMessage: 'late failure' });
    expect(next.kind).toBe('returned');
    expect(invoker.coldStarts()).toBe(2);
  });

  it('answers an unhandled rejection as Runtime.UnhandledPromiseRejection', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: dies, environment: {} });

    // Act
    const failed = await invoker.invoke({ rejection: true }, 5000);
    await invoker.close();

    // Assess
    expect(failed).toMatchObject({
      kind: 'threw',
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody waits for this',
      trace: expect.arrayContaining(['Runtime.UnhandledPromiseRejection: Error: nobody waits for this']),
    });
  });
});

describe('Harness: runtimeExitErrorOf', () => {
  it.each([
    [1, null, 'Runtime exited with error: exit status 1'],
    [129, null, 'Runtime exited with error: exit status 129'],
    [0, null, 'Runtime exited without providing a reason'],
    [null, 'SIGKILL', 'Runtime exited with error: signal: killed'],
    [null, 'SIGSEGV', 'Runtime exited with error: signal: segmentation fault'],
    [null, 'SIGABRT', 'Runtime exited with error: signal: aborted'],
    [null, 'SIGIOT', 'Runtime exited with error: signal: aborted'],
  ] as const)('words exit code %j, signal %j as Lambda does', (code, signal, reason) => {
    // Prepare
    const requestId = REQUEST_ID;

    // Act
    const error = runtimeExitErrorOf(requestId, code, signal);

    // Assess
    expect(error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${REQUEST_ID} Error: ${reason}`,
    });
  });
});
