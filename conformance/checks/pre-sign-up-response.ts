/**
 * What Cognito does with pre sign-up's answer: auto-confirmation, auto-verification, and a flag it cannot
 * honour.
 */
import { type Check, expectEqual, expectThat, Flow, shown, unknown } from '../check.js';
import { type SuiteContext, shownOutcome, sourcesOf } from '../context.js';
import { runOf, signUp } from './sign-up.js';

/** Scenario: pre sign-up answers with `flags`; the sign-up, its trigger calls and the stored user. */
function signUpAnswered(label: string, flags: Record<string, boolean>) {
  return async (context: SuiteContext) => {
    const user = context.newUser(label);
    context.probe.script(user.key, { PreSignUp: { kind: 'respond', response: flags } });
    const answer = await signUp(context, user);
    return runOf(context, user, answer);
  };
}

const autoConfirmed = signUpAnswered('auto-confirm', { autoConfirmUser: true });
const autoVerified = signUpAnswered('auto-verify', { autoConfirmUser: true, autoVerifyEmail: true });
const phoneWithoutNumber = signUpAnswered('verify-phone', { autoVerifyPhone: true });

/** Checks of pre sign-up's response flags. */
export const preSignUpResponseChecks: readonly Check[] = [
  {
    id: 'auto-confirm.answer',
    flow: Flow.PreSignUpResponse,
    title: 'autoConfirmUser: SignUp answers UserConfirmed true, with no CodeDeliveryDetails',
    section: '§2 rule 5',
    async run(context) {
      const run = await context.once(autoConfirmed);
      if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
      const { UserConfirmed, CodeDeliveryDetails } = run.answer.value;
      return expectEqual(
        { UserConfirmed, CodeDeliveryDetails },
        { UserConfirmed: true, CodeDeliveryDetails: undefined },
      );
    },
  },
  {
    id: 'auto-confirm.no-code-message',
    flow: Flow.PreSignUpResponse,
    title: 'autoConfirmUser: no code message, so no CustomMessage_SignUp',
    section: '§2 rule 5',
    async run(context) {
      const run = await context.once(autoConfirmed);
      const sources = sourcesOf(run.calls);
      return expectThat(!sources.includes('CustomMessage_SignUp'), 'no CustomMessage_SignUp', shown(sources));
    },
  },
  {
    id: 'auto-confirm.stored',
    flow: Flow.PreSignUpResponse,
    title: 'autoConfirmUser alone: the user is CONFIRMED and the email stays unverified',
    section: '§2 rule 5',
    async run(context) {
      const run = await context.once(autoConfirmed);
      if (!run.stored.ok) return expectEqual(shownOutcome(run.stored), 'the stored user');
      const { status, attributes } = run.stored.value;
      return expectThat(
        status === 'CONFIRMED' && attributes.email_verified !== 'true',
        'CONFIRMED, email_verified not "true"',
        `${status}, email_verified ${shown(attributes.email_verified)}`,
      );
    },
  },
  {
    id: 'auto-confirm.post-confirmation',
    flow: Flow.PreSignUpResponse,
    title: 'autoConfirmUser: whether post confirmation runs at sign-up',
    section: '§2 rule 6 [I]',
    async run(context) {
      const run = await context.once(autoConfirmed);
      return unknown(shown(sourcesOf(run.calls)), 'presumably PostConfirmation_ConfirmSignUp at sign-up [I]');
    },
  },
  {
    id: 'auto-verify.email-verified',
    flow: Flow.PreSignUpResponse,
    title: 'autoConfirmUser and autoVerifyEmail: the user is CONFIRMED with email_verified "true"',
    section: '§2 rule 5',
    async run(context) {
      const run = await context.once(autoVerified);
      if (!run.stored.ok) return expectEqual(shownOutcome(run.stored), 'the stored user');
      const { status, attributes } = run.stored.value;
      return expectEqual(
        { status, email_verified: attributes.email_verified },
        { status: 'CONFIRMED', email_verified: 'true' },
      );
    },
  },
  {
    id: 'auto-verify.phone-without-number',
    flow: Flow.PreSignUpResponse,
    title: 'autoVerifyPhone for a user without phone_number fails the sign-up',
    section: '§2 rule 1',
    async run(context) {
      const run = await context.once(phoneWithoutNumber);
      return expectThat(!run.answer.ok, 'an error (its name is not documented)', shownOutcome(run.answer));
    },
  },
];
