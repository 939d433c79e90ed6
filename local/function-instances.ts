/**
 * The execution environments of one function, as Lambda keeps them: an invocation lands on an idle warm
 * instance, or starts a new one (a cold start) when every instance is busy. After a rebuild (the bundle's
 * content changed: a hash of the file, so a rewrite within one timestamp tick, or with the same size, or one
 * that keeps the modification time, is still seen) no instance of the old code is reused: the next invocation starts cold on the
 * new bundle, and instances still running old code are stopped once they finish.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleInvoker } from '../harness/bundle-invoker.js';
import type { InvocationResult, InvokeOptions } from '../harness/invocation.js';
import { nodeForBundles } from '../harness/runtime-node.js';

/** One invocation's result, with where it ran. */
export type InstanceInvocation = InvocationResult & {
  /** Whether this invocation started a new process (first use, after a rebuild or after a time-out). */
  coldStart: boolean;
  /** Which instance ran it (1, 2, …: a second one only runs when two invocations overlap). */
  instance: number;
};

/** What the instances of a function are started with. */
export type FunctionInstancesOptions = {
  logicalId: string;
  /** Absolute path of the built bundle. */
  bundlePath: string;
  exportName: string;
  memoryMb: number;
  environment: Record<string, string>;
};

/** The warm instances of one function. */
export type FunctionInstances = {
  /** `options.requestId` becomes the function's `context.awsRequestId` and the id in Lambda's own errors. */
  invoke(event: unknown, timeoutMs: number, options?: InvokeOptions): Promise<InstanceInvocation>;
  /** Instances currently alive (idle or busy). */
  size(): number;
  /** Stops every instance; invocations in flight end as `Runtime.ExitError`. */
  close(): Promise<void>;
};

type Instance = {
  id: number;
  invoker: ReturnType<typeof bundleInvoker>;
  /** The bundle's version (see {@link bundleVersionOf}) when this instance was started. */
  version: string;
  busy: boolean;
};

/**
 * The bundle's version: a SHA-256 of its content (bundles are a few hundred KB: well under a millisecond), or
 * `missing` when it cannot be read (the worker then reports why).
 */
export function bundleVersionOf(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('base64url');
  } catch {
    return 'missing';
  }
}

/**
 * Warm instances of one function, started on demand.
 *
 * @example
 * const instances = functionInstances({ logicalId: 'PreSignUpFunction', bundlePath, exportName: 'handler',
 *   memoryMb: 256, environment });
 * const result = await instances.invoke(event, 5000); // result.coldStart === true the first time
 */
export function functionInstances(options: FunctionInstancesOptions): FunctionInstances {
  // Looked up now, not at the first sign-up: where Lambda's Node is missing, `npm start` says so as it starts.
  const node = nodeForBundles();
  const instances = new Set<Instance>();
  let nextId = 1;
  let closed = false;

  function stopInstance(instance: Instance): Promise<void> {
    instances.delete(instance);
    return instance.invoker.close();
  }

  function acquire(version: string): Instance {
    for (const instance of instances) {
      // Old code never serves again; an idle instance of it is stopped now, a busy one when it finishes.
      if (instance.version !== version && !instance.busy) void stopInstance(instance);
    }
    const idle = [...instances].find((instance) => !instance.busy && instance.version === version);
    if (idle !== undefined) return idle;
    const instance: Instance = {
      id: nextId++,
      version,
      busy: false,
      invoker: bundleInvoker({
        bundlePath: options.bundlePath,
        exportName: options.exportName,
        environment: options.environment,
        functionName: options.logicalId,
        memoryMb: options.memoryMb,
        node,
      }),
    };
    instances.add(instance);
    return instance;
  }

  return {
    async invoke(event, timeoutMs, invokeOptions) {
      const version = bundleVersionOf(options.bundlePath);
      const instance = acquire(version);
      instance.busy = true;
      const coldStartsBefore = instance.invoker.coldStarts();
      try {
        const result = await instance.invoker.invoke(event, timeoutMs, invokeOptions);
        return {
          ...result,
          coldStart: instance.invoker.coldStarts() > coldStartsBefore,
          instance: instance.id,
        };
      } finally {
        instance.busy = false;
        if (closed || bundleVersionOf(options.bundlePath) !== instance.version) void stopInstance(instance);
      }
    },
    size: () => instances.size,
    async close() {
      closed = true;
      await Promise.all([...instances].map(stopInstance));
    },
  };
}
