/**
 * Runs a built bundle in a child process with its function's environment: parity with `sam local invoke`
 * (same bundle, same environment, the runtime's Node major: harness/runtime-node.ts), plus Cognito's timing.
 * The child is a warm instance; an attempt that times out takes it down (Lambda's own timeout is at most 5 s
 * here) and the next attempt starts cold.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeoutAfterDueIo } from '../shared/deadline.js';
import { type CpuController, type CpuGroup, commandInGroup, createCpuGroup } from './cpu-share.js';
import type { InvocationResult, InvokeOptions, Invoker } from './invocation.js';
import { lambdaEnvironment } from './lambda-environment.js';
import { nodeForBundles } from './runtime-node.js';

const WORKER = fileURLToPath(new URL('./bundle-worker.cjs', import.meta.url));

/** What a bundle invoker needs to start a function. */
export type BundleInvokerOptions = {
  /** Absolute path of the built file, for example `dist/PreSignUpFunction/handler.cjs`. */
  bundlePath: string;
  exportName?: string;
  /** The function's environment (template + env-vars file). Lambda's own variables are added. */
  environment: Record<string, string>;
  functionName?: string;
  memoryMb?: number;
  /** Receives every line the function writes (its logs), as it writes them. */
  onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Lambda's CPU share (harness/cpu-share.ts): each instance runs in a group of its own holding `share` of
   * one core, or `initShare` until its init (loading the bundle) is done. Unset: the whole machine.
   */
  cpu?: { controller: CpuController; share: number; initShare?: number };
  /**
   * The Node binary the instance runs on. Default: the Lambda runtime's Node (harness/runtime-node.ts), or
   * where it is not installed the one running this process, with a one-line notice.
   */
  node?: string;
};

type WorkerReply =
  | { kind: 'ready'; initDurationMs: number }
  // The worker is about to exit (an uncaught exception between invocations): send it nothing more.
  | { kind: 'exiting' }
  | { id: number; kind: 'returned'; value: unknown; initDurationMs: number }
  | {
      id: number;
      kind: 'threw';
      errorType: string;
      errorMessage: string;
      trace?: string[];
      initDurationMs: number;
      /** The worker exits once this is sent (an uncaught exception, as Lambda's runtime does). */
      exiting?: boolean;
    };

// What Go's syscall.Signal.String() says for each Linux signal number: Lambda's supervisor words a runtime
// killed by a signal as Go's exec.ExitError does (aws-lambda-runtime-interface-emulator,
// lambda/supervisor/model/model.go), and Go's table is Linux's signal numbering (1 = SIGHUP … 31 = SIGSYS).
const SIGNAL_DESCRIPTIONS: readonly string[] = [
  '',
  'hangup',
  'interrupt',
  'quit',
  'illegal instruction',
  'trace/breakpoint trap',
  'aborted',
  'bus error',
  'floating point exception',
  'killed',
  'user defined signal 1',
  'segmentation fault',
  'user defined signal 2',
  'broken pipe',
  'alarm clock',
  'terminated',
  'stack fault',
  'child exited',
  'continued',
  'stopped (signal)',
  'stopped',
  'stopped (tty input)',
  'stopped (tty output)',
  'urgent I/O condition',
  'CPU time limit exceeded',
  'file size limit exceeded',
  'virtual timer expired',
  'profiling timer expired',
  'window changed',
  'I/O possible',
  'power failure',
  'bad system call',
];

/**
 * Lambda's error for a runtime process that ended during an invocation (contract §6, "Runtime errors"):
 * `RequestId: <id> Error: Runtime exited with error: exit status 1`, `… signal: killed` for a signal (Go's
 * wording), `… Runtime exited without providing a reason` for exit status 0. Lambda sends no trace with it.
 * @see https://github.com/aws/aws-lambda-runtime-interface-emulator/blob/develop/lambda/rapid/handlers.go
 */
export function runtimeExitErrorOf(
  requestId: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): { errorType: 'Runtime.ExitError'; errorMessage: string } {
  let reason = 'Runtime exited without providing a reason';
  if (signal !== null) {
    const number = (constants.signals as Readonly<Record<string, number | undefined>>)[signal];
    const description = number === undefined ? signal : (SIGNAL_DESCRIPTIONS[number] ?? `signal ${number}`);
    reason = `Runtime exited with error: signal: ${description}`;
  } else if (code !== null && code !== 0) {
    reason = `Runtime exited with error: exit status ${code}`;
  }
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

/** The child's environment: Lambda's variables, then the function's own, then what the worker needs. */
function workerEnvironment(options: BundleInvokerOptions): Record<string, string> {
  return {
    ...lambdaEnvironment({
      functionName: options.functionName ?? 'local-function',
      memoryMb: options.memoryMb ?? 256,
      exportName: options.exportName,
    }),
    ...options.environment,
    LOCAL_LAMBDA_BUNDLE: options.bundlePath,
    LOCAL_LAMBDA_EXPORT: options.exportName ?? 'handler',
  };
}

/** One invocation sent to a worker and not answered yet. */
type Pending = { worker: ChildProcess; requestId: string; resolve: (reply: WorkerReply) => void };

/** An invoker that keeps one warm child process per function. */
export function bundleInvoker(options: BundleInvokerOptions): Invoker & { coldStarts(): number } {
  let child: ChildProcess | undefined;
  let nextId = 1;
  let coldStarts = 0;
  let logs: string[] = [];
  const pending = new Map<number, Pending>();
  // Replies wait here until the worker's end-of-invocation marker has come through stdout.
  const replies = new Map<number, WorkerReply>();
  const ended = new Set<number>();

  function settle(id: number) {
    const reply = replies.get(id);
    if (reply === undefined || !ended.has(id)) return;
    replies.delete(id);
    ended.delete(id);
    pending.get(id)?.resolve(reply);
    pending.delete(id);
  }

  /** A reader of one worker's output: log lines, and the markers that end its invocations. */
  function relayOf(): (stream: 'stdout' | 'stderr', chunk: Buffer) => void {
    let partial = '';
    return function relay(stream, chunk) {
      const text = (stream === 'stdout' ? partial : '') + chunk.toString('utf8');
      const lines = text.split('\n');
      const rest = lines.pop() ?? '';
      if (stream === 'stdout') partial = rest;
      else if (rest !== '') lines.push(rest);
      for (const line of lines) {
        if (line.startsWith('\u0000END ')) {
          const id = Number(line.slice(5));
          ended.add(id);
          settle(id);
          continue;
        }
        if (line === '') continue;
        logs.push(line);
        options.onLog?.(line, stream);
      }
    };
  }

  /**
   * The worker is gone (it exited, or was stopped): what it still owed ends as Lambda's `Runtime.ExitError`.
   * Only its own invocations: a new instance may already be serving the next one.
   */
  function failPendingOf(worker: ChildProcess, code: number | null, signal: NodeJS.Signals | null) {
    for (const [id, entry] of pending) {
      if (entry.worker !== worker) continue;
      pending.delete(id);
      replies.delete(id);
      ended.delete(id);
      entry.resolve({
        id,
        kind: 'threw',
        ...runtimeExitErrorOf(entry.requestId, code, signal),
        initDurationMs: 0,
      });
    }
  }

  function spawnWorker(): { worker: ChildProcess; group?: CpuGroup } {
    const env = workerEnvironment(options);
    const { cpu } = options;
    const node = options.node ?? nodeForBundles();
    if (cpu === undefined) {
      // Not the parent's loaders (tsx, vitest): a Lambda runs the bundle on a bare node.
      return {
        worker: fork(WORKER, [], {
          env,
          execPath: node,
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
          serialization: 'json',
          execArgv: [],
        }),
      };
    }
    const group = createCpuGroup(
      cpu.controller,
      options.functionName ?? 'function',
      cpu.initShare ?? cpu.share,
    );
    const { file, args } = commandInGroup(group, [node, WORKER]);
    const worker = spawn(file, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    worker.once('exit', () => group.remove());
    return { worker, group };
  }

  function start(): ChildProcess {
    coldStarts += 1;
    const { worker, group } = spawnWorker();
    const invokeShare = options.cpu?.share;
    if (group !== undefined && invokeShare !== undefined && options.cpu?.initShare !== undefined) {
      // Init is over when the worker says it is ready: from then on, the invocation phase's share.
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') group.setShare(invokeShare);
      });
    }
    const relay = relayOf();
    worker.stdout?.on('data', (chunk: Buffer) => relay('stdout', chunk));
    worker.stderr?.on('data', (chunk: Buffer) => relay('stderr', chunk));
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') return;
      // From now on the next invocation goes to a new instance, not to this one on its way out.
      const leaving = reply.kind === 'exiting' || (reply.kind === 'threw' && reply.exiting === true);
      if (leaving && child === worker) child = undefined;
      if (reply.kind === 'exiting') return;
      replies.set(reply.id, reply);
      settle(reply.id);
    });
    worker.on('exit', () => {
      if (child === worker) child = undefined;
    });
    // After `close`, not `exit`: every reply and log line the worker wrote before it went has been read (an
    // uncaught exception is answered, then the worker exits, as Lambda's runtime does).
    worker.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      setImmediate(() => failPendingOf(worker, code, signal));
    });
    return worker;
  }

  function stop(worker: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
      worker.once('exit', () => resolve());
      worker.kill('SIGKILL');
    });
  }

  return {
    coldStarts: () => coldStarts,
    async invoke(
      event: unknown,
      timeoutMs: number,
      invokeOptions?: InvokeOptions,
    ): Promise<InvocationResult> {
      const worker = child ?? start();
      child = worker;
      logs = [];
      const id = nextId++;
      const requestId = invokeOptions?.requestId ?? randomUUID();
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const reply = await new Promise<WorkerReply | 'timeout'>((resolve) => {
        pending.set(id, { worker, requestId, resolve });
        // One event-loop turn late: with many instances starving this process of CPU, a reply that has
        // arrived is not reported as a time-out because the timer happened to run first (shared/deadline.ts).
        timer = setTimeoutAfterDueIo(() => resolve('timeout'), timeoutMs);
        // A worker on its way out cannot take it: the invocation then ends with the worker's exit (`close`).
        worker.send({ id, event, timeoutMs, requestId }, () => {});
      });
      clearTimeout(timer);
      const durationMs = performance.now() - started;
      const captured = logs;
      if (reply === 'timeout') {
        pending.delete(id);
        // Lambda stops the function at its own timeout; the next attempt lands on a fresh instance.
        if (child === worker) child = undefined;
        await stop(worker);
        return { kind: 'timeout', durationMs, logs: captured };
      }
      if (reply.kind === 'returned')
        return { kind: 'returned', value: reply.value, durationMs, logs: captured };
      if (reply.kind === 'threw') {
        return {
          kind: 'threw',
          errorType: reply.errorType,
          errorMessage: reply.errorMessage,
          ...(reply.trace === undefined ? {} : { trace: reply.trace }),
          durationMs,
          logs: captured,
        };
      }
      return {
        kind: 'threw',
        errorType: 'Runtime.Unknown',
        errorMessage: 'unexpected worker reply',
        durationMs,
        logs,
      };
    },
    async close() {
      if (child !== undefined) {
        const worker = child;
        child = undefined;
        await stop(worker);
      }
    },
  };
}
