/**
 * The suite: every check in run order, and the runner that takes an endpoint through them.
 *
 * The runner creates the suite's own pool on the endpoint (conformance/context.ts), then runs the checks one
 * after another (scenarios they share run once). A check that throws fails with what it threw; a check that
 * takes longer than {@link CHECK_TIMEOUT_MS} fails as timed out, so one hanging endpoint call cannot stall the
 * run. What a result shows is made stable (conformance/scorecard.ts, `stableText`).
 */
import { type Check, Status, type Verdict } from './check.js';
import { adminCreateUserChecks } from './checks/admin-create-user.js';
import { attributeChecks } from './checks/attributes.js';
import { confirmationChecks } from './checks/confirmation.js';
import { messageChecks } from './checks/messages.js';
import { preSignUpResponseChecks } from './checks/pre-sign-up-response.js';
import { requestChecks } from './checks/requests.js';
import { resendAndForgotChecks } from './checks/resend-and-forgot.js';
import { signUpChecks } from './checks/sign-up.js';
import { triggerFailureChecks } from './checks/trigger-failures.js';
import { cognitoClientFor, createConformancePool, suiteContext } from './context.js';
import type { MessageSource } from './messages.js';
import type { ProbeLambda } from './probe-lambda.js';
import { stableText } from './scorecard.js';

/** Every check, in run order. */
export const CHECKS: readonly Check[] = [
  ...signUpChecks,
  ...preSignUpResponseChecks,
  ...triggerFailureChecks,
  ...adminCreateUserChecks,
  ...confirmationChecks,
  ...resendAndForgotChecks,
  ...attributeChecks,
  ...requestChecks,
  ...messageChecks,
];

/** Longest a check may take: the slowest one waits three 5 s attempts. */
export const CHECK_TIMEOUT_MS = 45_000;

/** One check's result. */
export type CheckResult = Pick<Check, 'id' | 'flow' | 'title' | 'section'> & Verdict;

/** What {@link runSuite} needs. */
export type SuiteOptions = {
  /** The endpoint under test, e.g. `http://127.0.0.1:9229`. */
  endpoint: string;
  region: string;
  /** The probe functions the endpoint calls (started before the endpoint, which needs its URL). */
  probe: ProbeLambda;
  messages?: MessageSource;
  /** Default {@link CHECKS}. */
  checks?: readonly Check[];
  /** Called with each result as it comes. */
  onResult?: (result: CheckResult) => void;
};

/** What a run found. */
export type SuiteRun = { userPoolId: string; results: CheckResult[] };

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no conclusion within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Takes the endpoint through the checks.
 *
 * @example
 * const probe = await startProbeLambda();
 * // … start the endpoint with probe.url as its Lambda endpoint …
 * const run = await runSuite({ endpoint: 'http://127.0.0.1:9229', region: 'us-east-1', probe });
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteRun> {
  const cognito = cognitoClientFor(options.endpoint, options.region);
  try {
    const pool = await createConformancePool(cognito, options.region);
    const context = suiteContext({
      endpoint: options.endpoint,
      region: options.region,
      cognito,
      probe: options.probe,
      pool,
      messages: options.messages,
    });
    const results: CheckResult[] = [];
    for (const check of options.checks ?? CHECKS) {
      let verdict: Verdict;
      try {
        verdict = await withTimeout(check.run(context), CHECK_TIMEOUT_MS);
      } catch (error) {
        verdict = {
          status: Status.Fail,
          observed: `the check failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      const result: CheckResult = {
        id: check.id,
        flow: check.flow,
        title: check.title,
        section: check.section,
        status: verdict.status,
        ...(verdict.expected === undefined ? {} : { expected: stableText(verdict.expected, pool) }),
        ...(verdict.observed === undefined ? {} : { observed: stableText(verdict.observed, pool) }),
      };
      results.push(result);
      options.onResult?.(result);
    }
    return { userPoolId: pool.userPoolId, results };
  } finally {
    cognito.destroy();
  }
}
