/**
 * What the "Lambda's CPU shares" section measures: one row per function and SDK design, each cold started at
 * every memory size's share of one core, under both assumptions about the init phase's CPU. Rows are grouped
 * into tables; each group names the row its ratios are taken against.
 */
import { CANDIDATES, type Candidate } from './candidates.js';
import { LOOPBACK_NAMES, type LoopbackServices } from './loopback-services.js';
import { SdkDesign } from './sdk-designs.js';

/** The event a row's process receives. */
export type ShareEvent =
  /** A recorded event under `events/`, unchanged. */
  | { kind: 'recorded'; file: string }
  /** A confirm sign-up of a user just signed up and confirmed in cognito-local (a new user each process). */
  | { kind: 'confirmed-sign-up' }
  /** A recorded pre sign-up event moved to the cognito-local pool, with a captcha token the provider passes. */
  | { kind: 'pre-sign-up-calls-out'; file: string }
  /**
   * A recorded custom sender event whose `<encrypt:…>` code is encrypted with the run's key; the function
   * decrypts with it and delivers to a loopback SES/SNS stand-in (bench/shares.ts).
   */
  | { kind: 'sender'; file: string };

/** One row: a function built in one design (or a baseline entry), with its event and settings. */
export type ShareRow = {
  /** kebab-case, unique. */
  id: string;
  label: string;
  function: string;
  /** Another entry point than the function's own (baselines, variants), relative to the project. */
  entry?: string;
  design: SdkDesign;
  event: ShareEvent;
  /** Variables on top of the function's template environment and `events/env.json`. */
  env?: (services: LoopbackServices) => Record<string, string>;
  /** Whether the row calls the loopback services (they are started only when some row does). */
  callsOut: boolean;
};

/** One table of the section. */
export type ShareGroup = {
  id: string;
  title: string;
  /** What the rows do, one sentence for the report. */
  description: string;
  rows: ShareRow[];
  /** The row every ratio is taken against; it may belong to another group. */
  baseline: string;
  /** The row measuring the shipped code. */
  shipped: string;
};

function candidate(id: string): Candidate & { function: string; event: string } {
  const found = CANDIDATES.find((item) => item.id === id);
  if (found?.function === undefined || found.event === undefined) {
    throw new Error(`bench/candidates.ts has no runnable candidate ${id}`);
  }
  return { ...found, function: found.function, event: found.event };
}

/** A whole-core candidate of bench/candidates.ts, measured as it is (it calls nothing). */
function fromCandidate(id: string, label: string): ShareRow {
  const { function: logicalId, entry, event, env } = candidate(id);
  return {
    id,
    label,
    function: logicalId,
    ...(entry === undefined ? {} : { entry }),
    design: SdkDesign.Lazy,
    event: { kind: 'recorded', file: event },
    ...(env === undefined ? {} : { env: () => env }),
    callsOut: false,
  };
}

/** Every post confirmation action on, against the loopback services. */
function postConfirmationActions(services: LoopbackServices): Record<string, string> {
  return {
    ...services.awsEnvironment,
    DEFAULT_GROUPS: LOOPBACK_NAMES.group,
    PROFILE_TABLE: LOOPBACK_NAMES.table,
    EVENT_BUS_NAME: LOOPBACK_NAMES.bus,
    FAILURE_QUEUE_URL: services.failureQueueUrl,
  };
}

/** The two pre sign-up rules that call out: the alias guard (ListUsers) and captcha (Turnstile). */
function preSignUpCallsOut(services: LoopbackServices): Record<string, string> {
  return {
    ...services.awsEnvironment,
    ALIAS_GUARD: 'list-users',
    CAPTCHA_PROVIDER: 'turnstile',
    CAPTCHA_SECRET: LOOPBACK_NAMES.captchaSecret,
    CAPTCHA_VERIFY_URL: services.captchaVerifyUrl,
    CAPTCHA_EXPECTED_HOSTNAMES: LOOPBACK_NAMES.captchaHostname,
    CAPTCHA_EXPECTED_ACTION: LOOPBACK_NAMES.captchaAction,
  };
}

const POST_CONFIRMATION = candidate('post-confirmation');
const PRE_SIGN_UP_INVITE_EVENT = 'pre-sign-up/sign-up.invite-valid.json';

/** The three designs of a function that calls out, in report order. */
const DESIGN_LABELS: ReadonlyArray<[SdkDesign, string]> = [
  [SdkDesign.Lazy, 'lazy SDK loading (shipped)'],
  [SdkDesign.Init, 'SDK loaded at init'],
  [SdkDesign.Commands, 'used SDK commands bundled'],
];

/** Every table of the section, in report order. */
export const SHARE_GROUPS: readonly ShareGroup[] = [
  {
    id: 'post-confirmation',
    title: 'PostConfirmationFunction, every action on',
    description:
      'a `PostConfirmation_ConfirmSignUp` of a user just confirmed in cognito-local: AdminAddUserToGroup (cognito-local), PutItem (dynalite), PutEvents (moto), the SQS failure queue client built (moto)',
    baseline: 'post-confirmation-naive',
    shipped: 'post-confirmation-lazy',
    rows: [
      {
        id: 'post-confirmation-naive',
        label: 'naive: the four clients built at module scope',
        function: POST_CONFIRMATION.function,
        entry: 'bench/variants/post-confirmation-eager-clients.ts',
        design: SdkDesign.Lazy,
        event: { kind: 'confirmed-sign-up' },
        env: postConfirmationActions,
        callsOut: true,
      },
      ...DESIGN_LABELS.map(
        ([design, label]): ShareRow => ({
          id: `post-confirmation-${design}`,
          label,
          function: POST_CONFIRMATION.function,
          design,
          event: { kind: 'confirmed-sign-up' },
          env: postConfirmationActions,
          callsOut: true,
        }),
      ),
    ],
  },
  {
    id: 'pre-sign-up-calls-out',
    title: 'PreSignUpFunction, rules that call out',
    description:
      'an invited `PreSignUp_SignUp` with a captcha token: every local rule of `events/env.json`, the alias guard (ListUsers on cognito-local) and captcha (a Turnstile verdict from a loopback server)',
    baseline: 'pre-sign-up-calls-out-lazy',
    shipped: 'pre-sign-up-calls-out-lazy',
    rows: DESIGN_LABELS.map(
      ([design, label]): ShareRow => ({
        id: `pre-sign-up-calls-out-${design}`,
        label,
        function: 'PreSignUpFunction',
        design,
        event: { kind: 'pre-sign-up-calls-out', file: PRE_SIGN_UP_INVITE_EVENT },
        env: preSignUpCallsOut,
        callsOut: true,
      }),
    ),
  },
  {
    id: 'custom-senders',
    title: 'CustomEmailSenderFunction, a sign-up code',
    description:
      'a `CustomEmailSender_SignUp` whose code is encrypted as Cognito encrypts it (raw AES here, not KMS), decrypted, composed from the catalogue and sent to a loopback SES stand-in; invoked asynchronously by Cognito, so no 5 s deadline applies',
    baseline: 'custom-email-sender-share',
    shipped: 'custom-email-sender-share',
    rows: [
      {
        id: 'custom-email-sender-share',
        label: 'Encryption SDK loaded on the first decryption (shipped)',
        function: 'CustomEmailSenderFunction',
        design: SdkDesign.Lazy,
        event: { kind: 'sender', file: 'custom-email-sender/sign-up.email.json' },
        callsOut: false,
      },
      {
        id: 'custom-email-sender-eager-esdk-share',
        label: 'Encryption SDK loaded at init',
        function: 'CustomEmailSenderFunction',
        entry: 'bench/variants/custom-email-sender-eager-esdk.ts',
        design: SdkDesign.Lazy,
        event: { kind: 'sender', file: 'custom-email-sender/sign-up.email.json' },
        callsOut: false,
      },
    ],
  },
  {
    id: 'pure',
    title: 'Pure paths (nothing called out)',
    description:
      'the whole-core rows of the same names: pre sign-up with `events/env.json`, a sign-up code email, and the baseline',
    baseline: 'logger-tracer',
    shipped: 'pre-sign-up',
    rows: [
      fromCandidate('logger-tracer', 'bare handler + Logger + Tracer'),
      fromCandidate('pre-sign-up', 'PreSignUpFunction'),
      fromCandidate('custom-message', 'CustomMessageFunction'),
    ],
  },
];

/** Every row of every group, in report order. */
export function shareRows(groups: readonly ShareGroup[] = SHARE_GROUPS): ShareRow[] {
  return groups.flatMap((group) => group.rows);
}
