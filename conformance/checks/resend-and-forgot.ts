/**
 * A code asked for again (ResendConfirmationCode) and a forgotten password (ForgotPassword,
 * ConfirmForgotPassword): their custom message and post confirmation events, their masked answers, and the
 * answers for a user who does not exist under both `PreventUserExistenceErrors` settings.
 */
import {
  AdminDisableUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Check, expectEqual, expectThat, Flow, notApplicable, shown } from '../check.js';
import { at, eventOf, outcomeOf, type ProbeUser, type SuiteContext, shownOutcome } from '../context.js';
import { codeSentTo, NO_MESSAGE_SOURCE } from './confirmation.js';
import { maskedEmail, signUp } from './sign-up.js';

const RESEND_METADATA = { step: 'resend' } as const;
const FORGOT_METADATA = { step: 'forgot' } as const;
const RESET_METADATA = { step: 'reset' } as const;

/** What an email delivery looks like in an answer. */
function emailDelivery(address: string) {
  return { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: maskedEmail(address) };
}

function resend(context: SuiteContext, username: string, clientId = context.pool.publicClientId) {
  return outcomeOf(() =>
    context.cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: clientId,
        Username: username,
        ClientMetadata: { ...RESEND_METADATA },
      }),
    ),
  );
}

function forgot(context: SuiteContext, username: string, clientId = context.pool.publicClientId) {
  return outcomeOf(() =>
    context.cognito.send(
      new ForgotPasswordCommand({
        ClientId: clientId,
        Username: username,
        ClientMetadata: { ...FORGOT_METADATA },
      }),
    ),
  );
}

/** Scenario: SignUp, then ResendConfirmationCode. */
async function resent(context: SuiteContext) {
  const user = context.newUser('resend');
  await signUp(context, user);
  const answer = await resend(context, user.email);
  return { user, answer, calls: context.probe.callsOf(user.key) };
}

/** A confirmed user with a verified email (pre sign-up confirms and verifies), who can reset a password. */
async function verifiedUser(context: SuiteContext, label: string): Promise<ProbeUser> {
  const user = context.newUser(label);
  context.probe.script(user.key, {
    PreSignUp: { kind: 'respond', response: { autoConfirmUser: true, autoVerifyEmail: true } },
  });
  await signUp(context, user);
  return user;
}

/** Scenario: ForgotPassword, then (with a message source) ConfirmForgotPassword with the code. */
async function passwordReset(context: SuiteContext) {
  const user = await verifiedUser(context, 'forgot');
  const answer = await forgot(context, user.email);
  const code = codeSentTo(context, user);
  const reset =
    code === undefined
      ? undefined
      : await outcomeOf(() =>
          context.cognito.send(
            new ConfirmForgotPasswordCommand({
              ClientId: context.pool.publicClientId,
              Username: user.email,
              ConfirmationCode: code,
              Password: `${user.password}-new`,
              ClientMetadata: { ...RESET_METADATA },
            }),
          ),
        );
  return { user, answer, reset, calls: context.probe.callsOf(user.key) };
}

/** Scenario: the four unknown-user answers (a fresh address never signed up). */
async function unknownUser(context: SuiteContext) {
  const user = context.newUser('nobody');
  return {
    user,
    resendEnabled: await resend(context, user.email),
    forgotEnabled: await forgot(context, user.email),
    forgotLegacy: await forgot(context, user.email, context.pool.legacyClientId),
    calls: () => context.probe.callsOf(user.key),
  };
}

/** Cognito's answer to ForgotPassword for a user without a verified address, under LEGACY (contract §5b). */
const NO_VERIFIED_ADDRESS =
  'InvalidParameterException: Cannot reset password for the user as there is no registered/verified email or phone_number';

/** Whether `answer` is a made-up email delivery to a masked address, and no trigger ran. */
function madeUpAnswer(answer: Awaited<ReturnType<typeof forgot>>, calls: number) {
  const details = answer.ok ? answer.value.CodeDeliveryDetails : undefined;
  return expectThat(
    details?.DeliveryMedium === 'EMAIL' && /^.\*\*\*@.\*\*\*$/.test(details.Destination ?? '') && calls === 0,
    'CodeDeliveryDetails by EMAIL to a masked address; no trigger call',
    `${answer.ok ? shown(details) : shownOutcome(answer)}; ${calls} trigger call(s)`,
  );
}

/**
 * Scenario: users whose state must not show under ENABLED: one disabled, one confirmed with the email
 * unverified (pre sign-up confirms without verifying); and a ConfirmForgotPassword for nobody.
 */
async function hiddenStates(context: SuiteContext) {
  const disabled = await verifiedUser(context, 'disabled');
  await context.cognito.send(
    new AdminDisableUserCommand({ UserPoolId: context.pool.userPoolId, Username: disabled.email }),
  );
  const unverified = context.newUser('unverified');
  context.probe.script(unverified.key, {
    PreSignUp: { kind: 'respond', response: { autoConfirmUser: true } },
  });
  await signUp(context, unverified);
  const before = (user: ProbeUser) => context.probe.callsOf(user.key).length;
  const [disabledBefore, unverifiedBefore] = [before(disabled), before(unverified)];
  const nobody = context.newUser('nobody-reset');
  return {
    forgotDisabled: await forgot(context, disabled.email),
    resendDisabled: await resend(context, disabled.email),
    disabledCalls: () => before(disabled) - disabledBefore,
    forgotUnverified: await forgot(context, unverified.email),
    unverifiedCalls: () => before(unverified) - unverifiedBefore,
    forgotUnverifiedLegacy: await forgot(context, unverified.email, context.pool.legacyClientId),
    confirmNobody: await outcomeOf(() =>
      context.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: context.pool.publicClientId,
          Username: nobody.email,
          ConfirmationCode: '123456',
          Password: `${nobody.password}-new`,
        }),
      ),
    ),
  };
}

/** Checks of codes sent again and password resets. */
export const resendAndForgotChecks: readonly Check[] = [
  {
    id: 'resend.trigger',
    flow: Flow.ResendAndForgot,
    title: 'ResendConfirmationCode calls custom message (CustomMessage_ResendCode) with its ClientMetadata',
    section: '§3 Trigger sources; §5 Which ClientMetadata reaches which trigger',
    async run(context) {
      const run = await context.once(resent);
      const event = eventOf(run.calls, 'CustomMessage_ResendCode');
      return expectEqual(
        { source: at(event, 'triggerSource'), clientMetadata: at(event, 'request', 'clientMetadata') },
        { source: 'CustomMessage_ResendCode', clientMetadata: RESEND_METADATA },
      );
    },
  },
  {
    id: 'resend.answer',
    flow: Flow.ResendAndForgot,
    title: 'ResendConfirmationCode answers CodeDeliveryDetails with the masked address',
    section: '§5b (masked destination)',
    async run(context) {
      const run = await context.once(resent);
      if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
      return expectEqual(run.answer.value.CodeDeliveryDetails, emailDelivery(run.user.email));
    },
  },
  {
    id: 'resend.unknown-user',
    flow: Flow.ResendAndForgot,
    title:
      'PreventUserExistenceErrors ENABLED: ResendConfirmationCode for nobody answers as if a code went out (email, masked), no trigger runs',
    section: '§5b (PreventUserExistenceErrors)',
    async run(context) {
      const run = await context.once(unknownUser);
      return madeUpAnswer(run.resendEnabled, run.calls().length);
    },
  },
  {
    id: 'forgot.trigger',
    flow: Flow.ResendAndForgot,
    title: 'ForgotPassword calls custom message (CustomMessage_ForgotPassword) with its ClientMetadata',
    section: '§3 Trigger sources; §5 Which ClientMetadata reaches which trigger',
    async run(context) {
      const run = await context.once(passwordReset);
      const event = eventOf(run.calls, 'CustomMessage_ForgotPassword');
      return expectEqual(
        { source: at(event, 'triggerSource'), clientMetadata: at(event, 'request', 'clientMetadata') },
        { source: 'CustomMessage_ForgotPassword', clientMetadata: FORGOT_METADATA },
      );
    },
  },
  {
    id: 'forgot.answer',
    flow: Flow.ResendAndForgot,
    title: 'ForgotPassword answers CodeDeliveryDetails with the masked address',
    section: '§5b (masked destination)',
    async run(context) {
      const run = await context.once(passwordReset);
      if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
      return expectEqual(run.answer.value.CodeDeliveryDetails, emailDelivery(run.user.email));
    },
  },
  {
    id: 'forgot.confirm',
    flow: Flow.ResendAndForgot,
    title:
      'ConfirmForgotPassword calls post confirmation (PostConfirmation_ConfirmForgotPassword) with its ClientMetadata',
    section: '§4 Trigger sources; §5 Which ClientMetadata reaches which trigger',
    async run(context) {
      const run = await context.once(passwordReset);
      if (run.reset === undefined) return notApplicable(NO_MESSAGE_SOURCE);
      if (!run.reset.ok) return expectEqual(shownOutcome(run.reset), 'success');
      const event = eventOf(run.calls, 'PostConfirmation_ConfirmForgotPassword');
      return expectEqual(
        { source: at(event, 'triggerSource'), clientMetadata: at(event, 'request', 'clientMetadata') },
        { source: 'PostConfirmation_ConfirmForgotPassword', clientMetadata: RESET_METADATA },
      );
    },
  },
  {
    id: 'forgot.unknown-user-enabled',
    flow: Flow.ResendAndForgot,
    title:
      'PreventUserExistenceErrors ENABLED: ForgotPassword for nobody answers as if a code went out, no trigger runs',
    section: '§5b (PreventUserExistenceErrors)',
    async run(context) {
      const run = await context.once(unknownUser);
      return madeUpAnswer(run.forgotEnabled, run.calls().length);
    },
  },
  {
    id: 'forgot.unknown-user-legacy',
    flow: Flow.ResendAndForgot,
    title: 'PreventUserExistenceErrors LEGACY: ForgotPassword for nobody fails with UserNotFoundException',
    section: '§5b (PreventUserExistenceErrors)',
    async run(context) {
      const run = await context.once(unknownUser);
      return expectEqual(run.forgotLegacy.ok ? 'success' : run.forgotLegacy.name, 'UserNotFoundException');
    },
  },
  {
    id: 'forgot.disabled-user',
    flow: Flow.ResendAndForgot,
    title:
      'PreventUserExistenceErrors ENABLED: ForgotPassword and ResendConfirmationCode for a disabled user answer as if a code went out, no trigger runs',
    section: '§5b (PreventUserExistenceErrors)',
    async run(context) {
      const run = await context.once(hiddenStates);
      const forgotVerdict = madeUpAnswer(run.forgotDisabled, run.disabledCalls());
      if (forgotVerdict.status !== 'pass') return forgotVerdict;
      return madeUpAnswer(run.resendDisabled, run.disabledCalls());
    },
  },
  {
    id: 'forgot.unverified-user-enabled',
    flow: Flow.ResendAndForgot,
    title:
      'PreventUserExistenceErrors ENABLED: ForgotPassword for a user with no verified address answers as if a code went out, no trigger runs',
    section: '§5b (PreventUserExistenceErrors)',
    async run(context) {
      const run = await context.once(hiddenStates);
      return madeUpAnswer(run.forgotUnverified, run.unverifiedCalls());
    },
  },
  {
    id: 'forgot.unverified-user-legacy',
    flow: Flow.ResendAndForgot,
    title:
      'PreventUserExistenceErrors LEGACY: ForgotPassword for a user with no verified address fails with InvalidParameterException',
    section: '§5b (PreventUserExistenceErrors)',
    async run(context) {
      const run = await context.once(hiddenStates);
      return expectEqual(shownOutcome(run.forgotUnverifiedLegacy), NO_VERIFIED_ADDRESS);
    },
  },
  {
    id: 'forgot.confirm-unknown-user',
    flow: Flow.ResendAndForgot,
    title:
      'PreventUserExistenceErrors ENABLED: ConfirmForgotPassword for nobody fails with CodeMismatchException',
    section: '§5b (PreventUserExistenceErrors)',
    async run(context) {
      const run = await context.once(hiddenStates);
      return expectEqual(run.confirmNobody.ok ? 'success' : run.confirmNobody.name, 'CodeMismatchException');
    },
  },
];
