/**
 * AdminCreateUser: the pre sign-up and invitation events of an administrator's call, and the response flags
 * Cognito ignores for it.
 */
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { type Check, expectEqual, expectThat, Flow, shown, unknown } from '../check.js';
import {
  at,
  eventOf,
  outcomeOf,
  type ProbeUser,
  type SuiteContext,
  shownOutcome,
  sourcesOf,
} from '../context.js';
import type { ProbeBehaviour } from '../probe-lambda.js';
import { runOf, SENT_METADATA, SENT_VALIDATION_DATA } from './sign-up.js';

/** An administrator's call has no app client (contract §1). */
const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

/** AdminCreateUser of `user` by email, with ClientMetadata and ValidationData. */
export function adminCreateUser(context: SuiteContext, user: ProbeUser) {
  return outcomeOf(() =>
    context.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: context.pool.userPoolId,
        Username: user.email,
        UserAttributes: [{ Name: 'email', Value: user.email }],
        DesiredDeliveryMediums: ['EMAIL'],
        ClientMetadata: { ...SENT_METADATA },
        ValidationData: Object.entries(SENT_VALIDATION_DATA).map(([Name, Value]) => ({ Name, Value })),
      }),
    ),
  );
}

/** Scenario: AdminCreateUser while pre sign-up asks to confirm and verify (flags Cognito ignores here). */
async function adminCreated(context: SuiteContext) {
  const user = context.newUser('admin');
  const flags: ProbeBehaviour = {
    kind: 'respond',
    response: { autoConfirmUser: true, autoVerifyEmail: true },
  };
  context.probe.script(user.key, { PreSignUp: flags });
  const answer = await adminCreateUser(context, user);
  return runOf(context, user, answer);
}

const PRE_SIGN_UP = 'PreSignUp_AdminCreateUser';
const INVITATION = 'CustomMessage_AdminCreateUser';

/** Checks of AdminCreateUser. */
export const adminCreateUserChecks: readonly Check[] = [
  {
    id: 'admin.triggers',
    flow: Flow.AdminCreateUser,
    title: 'AdminCreateUser calls pre sign-up, then custom message (the invitation)',
    section: '§2 Trigger sources; §3 Trigger sources',
    async run(context) {
      const run = await context.once(adminCreated);
      if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
      return expectEqual(sourcesOf(run.calls), [PRE_SIGN_UP, INVITATION]);
    },
  },
  {
    id: 'admin.pre-sign-up-client-id',
    flow: Flow.AdminCreateUser,
    title: `pre sign-up's callerContext.clientId is "${NO_CLIENT}"`,
    section: '§1 envelope (callerContext.clientId)',
    async run(context) {
      const run = await context.once(adminCreated);
      return expectEqual(at(eventOf(run.calls, PRE_SIGN_UP), 'callerContext', 'clientId'), NO_CLIENT);
    },
  },
  {
    id: 'admin.pre-sign-up-inputs',
    flow: Flow.AdminCreateUser,
    title: "AdminCreateUser's ValidationData and ClientMetadata reach pre sign-up",
    section: '§5 ValidationData; §5 Which ClientMetadata reaches which trigger',
    async run(context) {
      const run = await context.once(adminCreated);
      const request = at(eventOf(run.calls, PRE_SIGN_UP), 'request');
      return expectEqual(
        { validationData: at(request, 'validationData'), clientMetadata: at(request, 'clientMetadata') },
        { validationData: SENT_VALIDATION_DATA, clientMetadata: SENT_METADATA },
      );
    },
  },
  {
    id: 'admin.invitation-parameters',
    flow: Flow.AdminCreateUser,
    title: 'the invitation event has usernameParameter {username} and codeParameter {####}',
    section: '§3 Request',
    async run(context) {
      const run = await context.once(adminCreated);
      const request = at(eventOf(run.calls, INVITATION), 'request');
      return expectEqual(
        { usernameParameter: at(request, 'usernameParameter'), codeParameter: at(request, 'codeParameter') },
        { usernameParameter: '{username}', codeParameter: '{####}' },
      );
    },
  },
  {
    id: 'admin.invitation-client-id',
    flow: Flow.AdminCreateUser,
    title: `the invitation event's callerContext.clientId is "${NO_CLIENT}"`,
    section: '§1 envelope (callerContext.clientId)',
    async run(context) {
      const run = await context.once(adminCreated);
      return expectEqual(at(eventOf(run.calls, INVITATION), 'callerContext', 'clientId'), NO_CLIENT);
    },
  },
  {
    id: 'admin.invitation-client-metadata',
    flow: Flow.AdminCreateUser,
    title: "whether AdminCreateUser's ClientMetadata reaches the invitation event",
    section: '§5 Which ClientMetadata reaches which trigger [undocumented]',
    async run(context) {
      const run = await context.once(adminCreated);
      return unknown(shown(at(eventOf(run.calls, INVITATION), 'request', 'clientMetadata')), 'undocumented');
    },
  },
  {
    id: 'admin.flags-ignored',
    flow: Flow.AdminCreateUser,
    title: 'autoConfirmUser and autoVerifyEmail are ignored: FORCE_CHANGE_PASSWORD, email not verified',
    section: '§2 rule 3',
    async run(context) {
      const run = await context.once(adminCreated);
      if (!run.stored.ok) return expectEqual(shownOutcome(run.stored), 'the stored user');
      const { status, attributes } = run.stored.value;
      return expectThat(
        status === 'FORCE_CHANGE_PASSWORD' && attributes.email_verified !== 'true',
        'FORCE_CHANGE_PASSWORD, email_verified not "true"',
        `${status}, email_verified ${shown(attributes.email_verified)}`,
      );
    },
  },
  {
    id: 'admin.no-post-confirmation',
    flow: Flow.AdminCreateUser,
    title: 'an administrator-created user never gets post confirmation',
    section: '§4 Trigger sources',
    async run(context) {
      const run = await context.once(adminCreated);
      const sources = sourcesOf(run.calls);
      return expectThat(
        run.answer.ok && !sources.some((source) => source.startsWith('PostConfirmation_')),
        'no PostConfirmation_* call',
        run.answer.ok ? shown(sources) : shownOutcome(run.answer),
      );
    },
  },
];
