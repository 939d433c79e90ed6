/**
 * What the benchmark measures: one row per candidate. Adding a measurement is adding one line to
 * {@link CANDIDATES}, for example
 * `trigger('pre-sign-up-all-rules', 'PreSignUpFunction', PRE_SIGN_UP_EVENT, { env: { BLOCKED_EMAIL_DOMAINS: 'example.org' } })`
 * or a variant entry point under `bench/variants/` (`{ entry: 'bench/variants/<file>.ts' }`).
 */

import { BenchUsageError } from './options.js';

/** One row of the report. */
export type Candidate = {
  /** kebab-case, what `--only` names. */
  id: string;
  /** The row's label in the report. */
  label: string;
  /**
   * The template function whose esbuild options, environment (+ `events/env.json`) and memory size the
   * candidate uses. `undefined` only for the `node -e 0` reference, which loads nothing.
   */
  function?: string;
  /** A file to bundle instead of the function's own entry point (baselines, variants). */
  entry?: string;
  /** The recorded event each invocation receives, relative to `events/`. */
  event?: string;
  /** Variables set on top of the function's environment (a rule switched on, a different mode). */
  env?: Record<string, string>;
};

/** The two rows every other row is compared with; always measured, whatever `--only` says. */
export const REFERENCE = { node: 'node', bare: 'bare-handler' } as const;

const PRE_SIGN_UP_EVENT = 'pre-sign-up/sign-up.email-as-username.json';
const CUSTOM_MESSAGE_EVENT = 'custom-message/sign-up.email-code.json';
const POST_CONFIRMATION_EVENT = 'post-confirmation/confirm-sign-up.email-as-username.json';
/**
 * A password reset: onboarding is configured but skipped, so the rows measure what configuring the actions
 * costs at cold start without calling AWS (the lazy clients are built on the first onboarding instead).
 */
const PASSWORD_RESET_EVENT = 'post-confirmation/confirm-forgot-password.password-reset.json';
/**
 * The custom senders' sign-up events: their `<encrypt:…>` code is encrypted at preparation with the run's key
 * (bench/prepare.ts), and delivery goes to a loopback SES/SNS stand-in (local/custom-senders.ts).
 */
const CUSTOM_EMAIL_SENDER_EVENT = 'custom-email-sender/sign-up.email.json';
const CUSTOM_SMS_SENDER_EVENT = 'custom-sms-sender/sign-up.sms.json';

/** Every post confirmation action and the failure queue on (names only: nothing is called). */
const POST_CONFIRMATION_ACTIONS: Record<string, string> = {
  DEFAULT_GROUPS: 'users',
  SELF_SERVICE_GROUPS: 'beta',
  PROFILE_TABLE: 'Profiles',
  EVENT_BUS_NAME: 'sign-up-events',
  FAILURE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/onboarding-failures',
};
/** A self sign-up with a valid invite: every local pre sign-up rule runs on it and it is confirmed. */
const PRE_SIGN_UP_INVITE_EVENT = 'pre-sign-up/sign-up.invite-valid.json';

/**
 * Every pre sign-up rule that decides without calling out, on top of `events/env.json` (which holds the
 * INVITE_SECRET the invite is signed with, the blocked domains and the disposable allow-list). The alias
 * guard stays off and captcha and account linking stay unset: those call out to other services.
 */
const PRE_SIGN_UP_LOCAL_RULES: Record<string, string> = {
  REQUIRED_ATTRIBUTES: 'email',
  ATTRIBUTE_PATTERNS: JSON.stringify({ email: '[^@]{1,64}@example\\.com' }),
  ALLOWED_EMAIL_DOMAINS: 'example.com,*.example.com',
  BLOCK_DISPOSABLE_EMAILS: 'true',
  AUTO_CONFIRM_DOMAINS: 'example.com',
  ALIAS_GUARD: 'off',
};

/**
 * The functions as shipped write one metrics document per invocation (`METRICS_ENABLED` defaults to `true`);
 * with this they write none and never load the library. Same bundle: the switch is read at cold start.
 */
const METRICS_OFF: Record<string, string> = { METRICS_ENABLED: 'false' };

/** A template function, as deployed, or a variant of it (other entry point or extra environment). */
function trigger(
  id: string,
  logicalId: string,
  event: string,
  variant: Partial<Pick<Candidate, 'entry' | 'env' | 'label'>> = {},
): Candidate {
  return { id, label: logicalId, function: logicalId, event, ...variant };
}

/** A baseline handler under `bench/baselines/`, built and run like the pre sign-up function. */
function baseline(id: string, label: string): Candidate {
  return trigger(id, 'PreSignUpFunction', PRE_SIGN_UP_EVENT, { entry: `bench/baselines/${id}.ts`, label });
}

/**
 * Every candidate, in report order. Each baseline adds one thing to the one above it, except that the Cognito
 * client is added to Logger + Tracer, not to Metrics.
 */
export const CANDIDATES: readonly Candidate[] = [
  { id: REFERENCE.node, label: '`node -e 0`' },
  baseline(REFERENCE.bare, 'bare handler'),
  baseline('logger-tracer', '+ Logger + Tracer'),
  baseline('logger-tracer-metrics', '+ Logger + Tracer + Metrics'),
  baseline('cognito-client', '+ Cognito client'),
  baseline('dynamodb-client', '+ DynamoDB document client'),
  trigger('pre-sign-up', 'PreSignUpFunction', PRE_SIGN_UP_EVENT),
  trigger('pre-sign-up-metrics-off', 'PreSignUpFunction', PRE_SIGN_UP_EVENT, {
    env: METRICS_OFF,
    label: 'PreSignUpFunction, metrics off',
  }),
  trigger('pre-sign-up-all-rules', 'PreSignUpFunction', PRE_SIGN_UP_INVITE_EVENT, {
    env: PRE_SIGN_UP_LOCAL_RULES,
    label: 'PreSignUpFunction, every local rule on',
  }),
  trigger('pre-sign-up-no-disposable', 'PreSignUpFunction', PRE_SIGN_UP_INVITE_EVENT, {
    env: { ...PRE_SIGN_UP_LOCAL_RULES, BLOCK_DISPOSABLE_EMAILS: 'false' },
    label: 'PreSignUpFunction, disposable list off',
  }),
  trigger('custom-message', 'CustomMessageFunction', CUSTOM_MESSAGE_EVENT),
  trigger('custom-message-metrics-off', 'CustomMessageFunction', CUSTOM_MESSAGE_EVENT, {
    env: METRICS_OFF,
    label: 'CustomMessageFunction, metrics off',
  }),
  trigger('post-confirmation', 'PostConfirmationFunction', POST_CONFIRMATION_EVENT),
  trigger('post-confirmation-actions', 'PostConfirmationFunction', PASSWORD_RESET_EVENT, {
    env: POST_CONFIRMATION_ACTIONS,
    label: 'PostConfirmationFunction, every action on (lazy clients)',
  }),
  trigger('post-confirmation-eager', 'PostConfirmationFunction', PASSWORD_RESET_EVENT, {
    env: POST_CONFIRMATION_ACTIONS,
    entry: 'bench/variants/post-confirmation-eager-clients.ts',
    label: 'PostConfirmationFunction, every action on, clients built eagerly',
  }),
  trigger('custom-email-sender', 'CustomEmailSenderFunction', CUSTOM_EMAIL_SENDER_EVENT, {
    label: 'CustomEmailSenderFunction (Encryption SDK loaded on the first decryption)',
  }),
  trigger('custom-email-sender-eager-esdk', 'CustomEmailSenderFunction', CUSTOM_EMAIL_SENDER_EVENT, {
    entry: 'bench/variants/custom-email-sender-eager-esdk.ts',
    label: 'CustomEmailSenderFunction, Encryption SDK loaded at init',
  }),
  trigger('custom-sms-sender', 'CustomSmsSenderFunction', CUSTOM_SMS_SENDER_EVENT),
];

/** The candidates `--only` names, plus the references, in list order; an unknown id is an error. */
export function selectCandidates(all: readonly Candidate[], only: readonly string[]): Candidate[] {
  if (only.length === 0) return [...all];
  const known = new Set(all.map((candidate) => candidate.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new BenchUsageError(`Unknown candidate ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  }
  const wanted = new Set<string>([REFERENCE.node, REFERENCE.bare, ...only]);
  return all.filter((candidate) => wanted.has(candidate.id));
}

/** Two candidates that differ only in metrics: one writes a metrics document per invocation, one does not. */
export type MetricsComparison = {
  /** The row's label in the report's metrics section. */
  label: string;
  /** The candidate that writes one metrics document per invocation. */
  on: string;
  /** The same candidate without metrics. */
  off: string;
  /** Whether the cold-start target of the metrics section applies (the pure-path functions) or the row informs. */
  target: boolean;
};

/**
 * The pairs of the report's metrics section: the library by itself (baselines), then each pure-path function
 * as shipped (metrics on, the default) against `METRICS_ENABLED=false`.
 */
export const METRICS_COMPARISONS: readonly MetricsComparison[] = [
  {
    label: 'Powertools Metrics (baselines)',
    on: 'logger-tracer-metrics',
    off: 'logger-tracer',
    target: false,
  },
  { label: 'PreSignUpFunction', on: 'pre-sign-up', off: 'pre-sign-up-metrics-off', target: true },
  { label: 'CustomMessageFunction', on: 'custom-message', off: 'custom-message-metrics-off', target: true },
];
