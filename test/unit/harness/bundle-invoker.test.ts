import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleInvoker } from '../../../harness/bundle-invoker.js';

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

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: noHandler, environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({ kind: 'threw', errorType: 'Runtime.HandlerNotFound' });
  });
});
