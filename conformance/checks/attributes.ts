/**
 * Attribute changes: a user (with an access token) or an administrator changing the email address, a change
 * that needs no code, and a user asking for a verification code; the custom message each one causes.
 */
import {
  AdminUpdateUserAttributesCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Check, expectEqual, expectThat, Flow, shown, unknown, type Verdict } from '../check.js';
import {
  at,
  eventOf,
  outcomeOf,
  type ProbeUser,
  type SuiteContext,
  shownOutcome,
  sourcesOf,
} from '../context.js';
import { signUp } from './sign-up.js';

const UPDATE_METADATA = { step: 'update' } as const;
const VERIFY_METADATA = { step: 'verify' } as const;

/** The same probe key at another address: the change's events stay the user's. */
function changedAddress(user: ProbeUser): string {
  return `${user.key}.changed@example.com`;
}

/** Scenario: a confirmed, verified user signs in, changes the name, then the email, then asks for a code. */
async function userChanges(context: SuiteContext) {
  const user = context.newUser('attributes');
  context.probe.script(user.key, {
    PreSignUp: { kind: 'respond', response: { autoConfirmUser: true, autoVerifyEmail: true } },
  });
  await signUp(context, user);
  const signIn = await outcomeOf(() =>
    context.cognito.send(
      new InitiateAuthCommand({
        ClientId: context.pool.publicClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    ),
  );
  const token = signIn.ok ? signIn.value.AuthenticationResult?.AccessToken : undefined;
  if (token === undefined) return { user, failed: shownOutcome(signIn) } as const;
  const before = context.probe.callsOf(user.key).length;
  const nameChange = await outcomeOf(() =>
    context.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: 'name', Value: 'Renamed' }],
      }),
    ),
  );
  const afterName = context.probe.callsOf(user.key).slice(before);
  const emailChange = await outcomeOf(() =>
    context.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: 'email', Value: changedAddress(user) }],
        ClientMetadata: { ...UPDATE_METADATA },
      }),
    ),
  );
  const verification = await outcomeOf(() =>
    context.cognito.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: token,
        AttributeName: 'email',
        ClientMetadata: { ...VERIFY_METADATA },
      }),
    ),
  );
  return {
    user,
    nameChange,
    afterName,
    emailChange,
    verification,
    calls: context.probe.callsOf(user.key),
  } as const;
}

/** Scenario: an administrator changes a user's email. */
async function adminChanges(context: SuiteContext) {
  const user = context.newUser('admin-update');
  await signUp(context, user);
  const answer = await outcomeOf(() =>
    context.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: context.pool.userPoolId,
        Username: user.email,
        UserAttributes: [{ Name: 'email', Value: changedAddress(user) }],
        ClientMetadata: { ...UPDATE_METADATA },
      }),
    ),
  );
  return { user, answer, calls: context.probe.callsOf(user.key) };
}

type UserChanges = Exclude<Awaited<ReturnType<typeof userChanges>>, { failed: string }>;

/** Runs `judge` once the user could sign in; a failed sign-in fails the check. */
async function withUserChanges(
  context: SuiteContext,
  judge: (run: UserChanges) => Verdict,
): Promise<Verdict> {
  const run = await context.once(userChanges);
  if ('failed' in run) return expectEqual(`sign-in: ${run.failed}`, 'an access token');
  return judge(run);
}

/** Checks of attribute changes. */
export const attributeChecks: readonly Check[] = [
  {
    id: 'attributes.update-email',
    flow: Flow.Attributes,
    title:
      'UpdateUserAttributes changing the email calls custom message (CustomMessage_UpdateUserAttribute) with its ClientMetadata',
    section: '§3 Trigger sources; §5 Which ClientMetadata reaches which trigger',
    run: (context) =>
      withUserChanges(context, (run) => {
        if (!run.emailChange.ok) return expectEqual(shownOutcome(run.emailChange), 'success');
        const event = eventOf(run.calls, 'CustomMessage_UpdateUserAttribute');
        return expectEqual(
          { source: at(event, 'triggerSource'), clientMetadata: at(event, 'request', 'clientMetadata') },
          { source: 'CustomMessage_UpdateUserAttribute', clientMetadata: UPDATE_METADATA },
        );
      }),
  },
  {
    id: 'attributes.update-other',
    flow: Flow.Attributes,
    title: 'UpdateUserAttributes changing neither email nor phone sends no code: no custom message',
    section: '§3 Trigger sources',
    run: (context) =>
      withUserChanges(context, (run) =>
        expectThat(
          run.nameChange.ok && run.afterName.length === 0,
          'success, no trigger call',
          `${shownOutcome(run.nameChange)}, ${shown(sourcesOf(run.afterName))}`,
        ),
      ),
  },
  {
    id: 'attributes.verification-code',
    flow: Flow.Attributes,
    title:
      'GetUserAttributeVerificationCode calls custom message (CustomMessage_VerifyUserAttribute) with its ClientMetadata',
    section: '§3 Trigger sources; §5 Which ClientMetadata reaches which trigger',
    run: (context) =>
      withUserChanges(context, (run) => {
        if (!run.verification.ok) return expectEqual(shownOutcome(run.verification), 'success');
        const event = eventOf(run.calls, 'CustomMessage_VerifyUserAttribute');
        return expectEqual(
          { source: at(event, 'triggerSource'), clientMetadata: at(event, 'request', 'clientMetadata') },
          { source: 'CustomMessage_VerifyUserAttribute', clientMetadata: VERIFY_METADATA },
        );
      }),
  },
  {
    id: 'attributes.user-token-client-id',
    flow: Flow.Attributes,
    title: "callerContext.clientId of a change made with a user's access token",
    section: '§1 envelope (callerContext.clientId) [not documented]',
    run: (context) =>
      withUserChanges(context, (run) => {
        const sources = ['CustomMessage_UpdateUserAttribute', 'CustomMessage_VerifyUserAttribute'];
        const ids = sources.map((source) => at(eventOf(run.calls, source), 'callerContext', 'clientId'));
        return unknown(shown(ids), 'the token\'s app client or "CLIENT_ID_NOT_APPLICABLE": no capture known');
      }),
  },
  {
    id: 'attributes.admin-update-email',
    flow: Flow.Attributes,
    title:
      'AdminUpdateUserAttributes changing the email calls custom message (CustomMessage_UpdateUserAttribute)',
    section: '§3 Trigger sources',
    async run(context) {
      const run = await context.once(adminChanges);
      if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
      return expectEqual(
        at(eventOf(run.calls, 'CustomMessage_UpdateUserAttribute'), 'triggerSource'),
        'CustomMessage_UpdateUserAttribute',
      );
    },
  },
];
