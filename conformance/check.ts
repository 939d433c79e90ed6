/**
 * What a conformance check is and what it concludes.
 *
 * A check observes one rule of the contract (docs/cognito-contract.md, named by `section`) from outside an
 * endpoint and concludes one of four {@link Status}es. "unknown" is for a rule whose real value nobody has
 * documented or observed (the contract marks it [I]): the check reports what the endpoint did, and neither
 * passes nor fails it.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SuiteContext } from './context.js';

export const Status = {
  Pass: 'pass',
  Fail: 'fail',
  /** The endpoint or the run lacks what the check needs (a message source, an operation it refused). */
  NotApplicable: 'n/a',
  /** The real behaviour is not known: what the endpoint did is reported, not judged. */
  Unknown: 'unknown',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** A check's conclusion. */
export type Verdict = {
  status: Status;
  /** What the contract says, in short (absent for n/a). */
  expected?: string;
  /** What the endpoint did, in short. */
  observed?: string;
};

/** The flows checks are grouped by in the scorecard, in the order they run. */
export const Flow = {
  SignUp: 'Sign-up',
  PreSignUpResponse: 'Pre sign-up response',
  TriggerFailures: 'Trigger failures',
  AdminCreateUser: 'Admin-created users',
  Confirmation: 'Confirmation',
  ResendAndForgot: 'Resend and forgotten password',
  Attributes: 'Attribute changes',
  ConfidentialClient: 'Confidential client',
  Requests: 'Requests and limits',
  Messages: 'Messages',
} as const;
export type Flow = (typeof Flow)[keyof typeof Flow];

/** One check. */
export type Check = {
  /** Stable id (`sign-up.version`): expected-failure lists and reports name checks by it. */
  id: string;
  flow: Flow;
  /** What is checked, as a sentence. */
  title: string;
  /** The contract section the rule comes from (`§2 rule 5`). */
  section: string;
  run(context: SuiteContext): Promise<Verdict>;
};

/** Short, stable text of a value for a report (JSON; `absent` for undefined). */
export function shown(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Pass when `observed` deeply equals `expected`, else fail; both shown. */
export function expectEqual(observed: unknown, expected: unknown): Verdict {
  return {
    status: isDeepStrictEqual(observed, expected) ? Status.Pass : Status.Fail,
    expected: shown(expected),
    observed: shown(observed),
  };
}

/** Pass when `holds`, with the texts given. */
export function expectThat(holds: boolean, expected: string, observed: string): Verdict {
  return { status: holds ? Status.Pass : Status.Fail, expected, observed };
}

/** The real value is unknown: report what was observed. */
export function unknown(observed: string, expected = 'not documented or observed (contract [I])'): Verdict {
  return { status: Status.Unknown, expected, observed };
}

/** The check cannot be made here, and why. */
export function notApplicable(why: string): Verdict {
  return { status: Status.NotApplicable, observed: why };
}
