/**
 * The replay engine: runs recorded events through a trigger, under Cognito's rules, and compares what a
 * Cognito caller would see with the expectation recorded beside each event. Usable from any test runner.
 *
 * @example
 * const replayer = createReplayer({ mode: 'in-process' });
 * const result = await replayer.replayFixture('events/pre-sign-up/sign-up.validation-data-null.json');
 * await replayer.close();
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TriggerName } from '../shared/trigger-source.js';
import { bundleInvoker } from './bundle-invoker.js';
import type { CognitoOutcome, Expectation } from './cognito-outcome.js';
import {
  type CognitoSimulationOptions,
  jsonEqual,
  type SimulatedCall,
  simulateCognitoCall,
  triggerOfEvent,
} from './cognito-simulator.js';
import { applyEnvVars } from './env-vars.js';
import { FixtureError } from './errors.js';
import {
  envVarsPathOf,
  expectationPathOf,
  readExpectation,
  readJsonFile,
  triggerOfFixtureFolder,
} from './fixtures.js';
import { type AnyHandler, inProcessInvoker } from './in-process-invoker.js';
import { type InvocationResult, type Invoker, lambdaErrorOf } from './invocation.js';
import { diffJson } from './json-diff.js';
import { fromProjectRoot } from './paths.js';
import { type FunctionSpec, functionByTrigger, loadTemplate, type TemplateModel } from './template.js';

/** In this process (fast) or as the built bundle in a child process (parity with `sam local invoke`). */
export type ReplayMode = 'in-process' | 'bundle';

/** Options of {@link createReplayer}. */
export type ReplayerOptions = {
  mode?: ReplayMode;
  /** Default: `template.yaml` at the project root. */
  templatePath?: string;
  /** SAM `--env-vars` file; default `events/env.json`; `null` for none. */
  envVarsPath?: string | null;
  /** Where `npm run build` put the bundles; default `dist`. */
  distDir?: string;
  /** How the simulated pool behaves. */
  cognito?: Partial<CognitoSimulationOptions>;
  /** Variables set on top of the template and the env-vars file, for example a quieter log level in tests. */
  environment?: Record<string, string>;
  /** Receives the functions' log lines in bundle mode. */
  onLog?: (line: string, logicalId: string) => void;
};

/** The outcome of replaying one event file. */
export type FixtureResult = {
  file: string;
  expectedFile: string;
  /** `undefined` when the event has no expectation yet. */
  expected: Expectation | undefined;
  actual: { attempts: number; cognito: CognitoOutcome };
  passed: boolean;
  /** `- expected` / `+ actual` lines; empty when passed. */
  diff: string;
  /** What the function logged (bundle mode). */
  logs: string[];
  /** Each attempt as it ended, with its own log lines (bundle mode): the metrics checks read them. */
  invocations: InvocationResult[];
};

/** The env-vars file events replay with unless told otherwise (relative to the project root). */
export const DEFAULT_REPLAY_ENV_VARS = 'events/env.json';

const defaults = {
  mode: 'in-process' as ReplayMode,
  envVarsPath: DEFAULT_REPLAY_ENV_VARS,
  distDir: 'dist',
};

// Counts in-process handler module loads across every replayer of this process.
let moduleLoads = 0;

/** An invoker whose function never started: every attempt ends with the init error, as Lambda reports it. */
function initFailureInvoker(error: unknown): Invoker {
  const { errorType, errorMessage } = lambdaErrorOf(error);
  return {
    async invoke() {
      return { kind: 'threw', errorType, errorMessage, durationMs: 0, logs: [] };
    },
    async close() {},
  };
}

/** A replayer holds one warm invoker per function; `close()` stops them. */
export type Replayer = {
  /**
   * Runs one event through its trigger as Cognito would, optionally under another env-vars file (relative
   * to the project root, or absolute).
   */
  replayEvent(event: unknown, envVarsPath?: string): Promise<SimulatedCall>;
  /** Runs one event file and compares it with its `.expected.json`. */
  replayFixture(file: string): Promise<FixtureResult>;
  /** Writes the actual outcome as the expectation, keeping an existing description. */
  updateExpectation(result: FixtureResult): void;
  close(): Promise<void>;
};

/** Builds a replayer over the functions of `template.yaml`. */
/**
 * The simulated pool for one function configuration: a custom message function told that its pool verifies
 * email by link (`EMAIL_VERIFICATION_OPTION`) is replayed against such a pool, unless the replayer's own
 * options already chose one.
 */
function simulationFor(
  base: Partial<CognitoSimulationOptions> | undefined,
  environment: Readonly<Record<string, string>>,
): Partial<CognitoSimulationOptions> | undefined {
  const option = environment.EMAIL_VERIFICATION_OPTION;
  if (base?.emailVerificationOption !== undefined) return base;
  if (option !== 'CONFIRM_WITH_LINK' && option !== 'CONFIRM_WITH_CODE') return base;
  return { ...base, emailVerificationOption: option };
}

export function createReplayer(options: ReplayerOptions = {}): Replayer {
  const settings = { ...defaults, ...options };
  const template: TemplateModel = loadTemplate(fromProjectRoot(options.templatePath ?? 'template.yaml'));
  const defaultEnvVars = settings.envVarsPath === null ? null : fromProjectRoot(settings.envVarsPath);
  // One warm invoker per function and configuration: a fixture may name its own env-vars file.
  const invokers = new Map<string, Promise<Invoker>>();
  // The pool settings a configuration implies: the function's environment states how the pool sends email.
  const simulations = new Map<string, Partial<CognitoSimulationOptions> | undefined>();

  function specOf(trigger: TriggerName): FunctionSpec {
    return functionByTrigger(template, trigger);
  }

  async function loadInProcess(spec: FunctionSpec, environment: Record<string, string>): Promise<Invoker> {
    // Handlers read their configuration at module scope, so the environment must be in place while the
    // module loads; it is put back afterwards so one function's settings never leak into another's.
    const saved = Object.fromEntries(Object.keys(environment).map((key) => [key, process.env[key]]));
    Object.assign(process.env, environment);
    let module: Record<string, unknown>;
    try {
      // Each load gets its own module instance (a distinct URL), as each configuration would be its own
      // function, even across replayers in one process.
      const url = pathToFileURL(fromProjectRoot(spec.entryPoint));
      moduleLoads += 1;
      url.search = `?instance=${moduleLoads}`;
      module = (await import(url.href)) as Record<string, unknown>;
    } catch (error) {
      // A failed cold start (a bad setting) fails every invocation with the init error, as in Lambda.
      return initFailureInvoker(error);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    const handler = module[spec.exportName];
    if (typeof handler !== 'function')
      throw new FixtureError(spec.entryPoint, `does not export "${spec.exportName}"`);
    return inProcessInvoker(handler as AnyHandler, { functionName: spec.logicalId, memoryMb: spec.memoryMb });
  }

  function invokerOf(trigger: TriggerName, envVarsPath: string | null): Promise<Invoker> {
    const key = `${trigger}\u0000${envVarsPath ?? ''}`;
    let invoker = invokers.get(key);
    if (invoker === undefined) {
      const spec = specOf(trigger);
      const envVars = envVarsPath === null ? undefined : readJsonFile(envVarsPath);
      const environment = { ...applyEnvVars(spec, envVars), ...options.environment };
      simulations.set(key, simulationFor(settings.cognito, environment));
      invoker =
        settings.mode === 'in-process'
          ? loadInProcess(spec, environment)
          : Promise.resolve(
              bundleInvoker({
                bundlePath: resolve(fromProjectRoot(settings.distDir), spec.logicalId, spec.bundleFile),
                exportName: spec.exportName,
                environment,
                functionName: spec.logicalId,
                memoryMb: spec.memoryMb,
                ...(options.onLog === undefined
                  ? {}
                  : { onLog: (line: string) => options.onLog?.(line, spec.logicalId) }),
              }),
            );
      invokers.set(key, invoker);
    }
    return invoker;
  }

  async function replayEvent(
    event: unknown,
    envVarsPath?: string,
    trigger: TriggerName = triggerOfEvent(event),
  ): Promise<SimulatedCall> {
    const path = envVarsPath === undefined ? defaultEnvVars : fromProjectRoot(envVarsPath);
    const invoker = await invokerOf(trigger, path);
    const simulation = simulations.get(`${trigger}\u0000${path ?? ''}`);
    return simulateCognitoCall(invoker, event, simulation ?? {}, trigger);
  }

  async function replayFixture(file: string): Promise<FixtureResult> {
    const path = fromProjectRoot(file);
    const expectedFile = expectationPathOf(path);
    const event = readJsonFile(path);
    let expected: Expectation | undefined;
    try {
      expected = readExpectation(expectedFile);
    } catch (error) {
      // A missing expectation is reported as a failure with a diff against nothing; a broken one is an error.
      if (
        !(
          error instanceof FixtureError &&
          (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
        )
      )
        throw error;
    }
    // An event without a triggerSource (AWS's envelope-less samples) goes to its folder's function.
    const source =
      typeof event === 'object' && event !== null
        ? (event as { triggerSource?: unknown }).triggerSource
        : undefined;
    const folderTrigger = source === undefined ? triggerOfFixtureFolder(path) : undefined;
    const call = await replayEvent(
      event,
      expected?.envVars === undefined ? undefined : envVarsPathOf(expectedFile, expected.envVars),
      folderTrigger ?? triggerOfEvent(event),
    );
    const actual = { attempts: call.attempts, cognito: call.cognito };
    const wanted =
      expected === undefined ? undefined : { attempts: expected.attempts, cognito: expected.cognito };
    const passed = wanted !== undefined && jsonEqual(wanted, actual);
    return {
      file: path,
      expectedFile,
      expected,
      actual,
      passed,
      diff: passed ? '' : diffJson(wanted ?? null, actual),
      logs: call.invocations.flatMap((invocation) => invocation.logs),
      invocations: call.invocations,
    };
  }

  function updateExpectation(result: FixtureResult): void {
    const expectation: Expectation = {
      description:
        result.expected?.description ??
        'Recorded by `npm run replay -- --update`: say in one sentence why this outcome is right.',
      // The configuration the outcome was replayed under stays named.
      ...(result.expected?.envVars === undefined ? {} : { envVars: result.expected.envVars }),
      attempts: result.actual.attempts,
      cognito: result.actual.cognito,
    };
    writeFileSync(result.expectedFile, `${JSON.stringify(expectation, null, 2)}\n`);
  }

  async function close(): Promise<void> {
    const all = await Promise.allSettled(invokers.values());
    invokers.clear();
    await Promise.all(all.map((entry) => (entry.status === 'fulfilled' ? entry.value.close() : undefined)));
  }

  return { replayEvent, replayFixture, updateExpectation, close };
}
