/**
 * Sign-up through the public client: which triggers fire, in which order, and every field of their events;
 * the answer; what is stored. One SignUp with ClientMetadata and ValidationData, one without, one repeated.
 */
import { AdminGetUserCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { isObject } from '../../shared/parse-event.js';
import { type Check, expectEqual, expectThat, Flow, shown } from '../check.js';
import {
  at,
  type CallOutcome,
  eventOf,
  outcomeOf,
  type ProbeUser,
  type SuiteContext,
  shownOutcome,
  sourcesOf,
} from '../context.js';
import type { ProbeCall } from '../probe-lambda.js';

/** The ClientMetadata and ValidationData the sign-up sends. */
export const SENT_METADATA = { campaign: 'spring', locale: 'fr' } as const;
export const SENT_VALIDATION_DATA = { invite: 'INV-42' } as const;

/** A user's status and attributes as AdminGetUser answers them. */
export type StoredUser = CallOutcome<{ status: string | undefined; attributes: Record<string, string> }>;

/** AdminGetUser of `username`, as a status and an attribute map. */
export function storedUser(context: SuiteContext, username: string): Promise<StoredUser> {
  return outcomeOf(async () => {
    const answer = await context.cognito.send(
      new AdminGetUserCommand({ UserPoolId: context.pool.userPoolId, Username: username }),
    );
    const attributes = Object.fromEntries(
      (answer.UserAttributes ?? []).map((attribute) => [attribute.Name ?? '', attribute.Value ?? '']),
    );
    return { status: answer.UserStatus, attributes };
  });
}

/** A public-client SignUp of `user` with the email attribute and `extra`. */
export function signUp(
  context: SuiteContext,
  user: ProbeUser,
  extra: {
    metadata?: Record<string, string>;
    validationData?: Record<string, string>;
    /** Attributes beside the email (default: a `name`). */
    attributes?: Record<string, string>;
    clientId?: string;
    secretHash?: string;
  } = {},
) {
  return outcomeOf(() =>
    context.cognito.send(
      new SignUpCommand({
        ClientId: extra.clientId ?? context.pool.publicClientId,
        Username: user.email,
        Password: user.password,
        UserAttributes: [
          { Name: 'email', Value: user.email },
          ...Object.entries(extra.attributes ?? { name: 'Probe User' }).map(([Name, Value]) => ({
            Name,
            Value,
          })),
        ],
        ...(extra.secretHash === undefined ? {} : { SecretHash: extra.secretHash }),
        ...(extra.metadata === undefined ? {} : { ClientMetadata: extra.metadata }),
        ...(extra.validationData === undefined
          ? {}
          : {
              ValidationData: Object.entries(extra.validationData).map(([Name, Value]) => ({ Name, Value })),
            }),
      }),
    ),
  );
}

/** How Cognito masks an email address in `CodeDeliveryDetails` (contract §5b): `j***@e***`. */
export function maskedEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

/** What a scenario about `user` ends with: the call's answer, the user's trigger calls, the stored user. */
export async function runOf<T>(context: SuiteContext, user: ProbeUser, answer: T) {
  return {
    user,
    answer,
    calls: context.probe.callsOf(user.key),
    stored: await storedUser(context, user.email),
  };
}

type SignUpRun = {
  user: ProbeUser;
  answer: Awaited<ReturnType<typeof signUp>>;
  calls: ProbeCall[];
  stored: StoredUser;
};

/** Scenario: one SignUp carrying ClientMetadata and ValidationData. */
async function signUpWithInputs(context: SuiteContext): Promise<SignUpRun> {
  const user = context.newUser('sign-up');
  const answer = await signUp(context, user, {
    metadata: { ...SENT_METADATA },
    validationData: { ...SENT_VALIDATION_DATA },
  });
  return runOf(context, user, answer);
}

/** Scenario: one SignUp with neither ClientMetadata nor ValidationData. */
async function signUpBare(context: SuiteContext): Promise<SignUpRun> {
  const user = context.newUser('bare');
  const answer = await signUp(context, user);
  return runOf(context, user, answer);
}

const PRE_SIGN_UP = 'PreSignUp_SignUp';
const CUSTOM_MESSAGE = 'CustomMessage_SignUp';

function eachEvent(run: SignUpRun): unknown[] {
  return run.calls.map((call) => call.event);
}

/** Checks of the sign-up flow. */
export const signUpChecks: readonly Check[] = [
  {
    id: 'sign-up.triggers',
    flow: Flow.SignUp,
    title: 'SignUp calls pre sign-up, then custom message (the code email), and nothing else',
    section: '§2 Trigger sources; §3 Trigger sources',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(sourcesOf(run.calls), [PRE_SIGN_UP, CUSTOM_MESSAGE]);
    },
  },
  {
    id: 'sign-up.version',
    flow: Flow.SignUp,
    title: 'every event has version "1", a string',
    section: '§1 envelope (version)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(
        eachEvent(run).map((event) => at(event, 'version')),
        run.calls.map(() => '1'),
      );
    },
  },
  {
    id: 'sign-up.region',
    flow: Flow.SignUp,
    title: "every event's region is the pool's Region",
    section: '§1 envelope (region)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(
        eachEvent(run).map((event) => at(event, 'region')),
        run.calls.map(() => context.region),
      );
    },
  },
  {
    id: 'sign-up.user-pool-id',
    flow: Flow.SignUp,
    title: "every event's userPoolId is the pool's id, of the model's shape [\\w-]+_[0-9a-zA-Z]+",
    section: '§1 envelope (userPoolId)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      const ids = eachEvent(run).map((event) => at(event, 'userPoolId'));
      const { userPoolId } = context.pool;
      return expectThat(
        ids.length > 0 && ids.every((id) => id === userPoolId && /^[\w-]+_[0-9a-zA-Z]+$/.test(String(id))),
        `${userPoolId} in every event`,
        shown(ids),
      );
    },
  },
  {
    id: 'sign-up.client-id',
    flow: Flow.SignUp,
    title: "callerContext.clientId is the app client's id",
    section: '§1 envelope (callerContext.clientId)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(
        eachEvent(run).map((event) => at(event, 'callerContext', 'clientId')),
        run.calls.map(() => context.pool.publicClientId),
      );
    },
  },
  {
    id: 'sign-up.sdk-version',
    flow: Flow.SignUp,
    title: 'callerContext.awsSdkVersion is a string taken from the caller (aws-sdk-…)',
    section: '§1 envelope (callerContext.awsSdkVersion)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      const versions = eachEvent(run).map((event) => at(event, 'callerContext', 'awsSdkVersion'));
      return expectThat(
        versions.length > 0 &&
          versions.every((version) => typeof version === 'string' && version.startsWith('aws-sdk-')),
        '"aws-sdk-…" in every event',
        shown(versions),
      );
    },
  },
  {
    id: 'sign-up.user-name',
    flow: Flow.SignUp,
    title:
      "in a pool that signs in by email, userName is the user's sub (the answer's UserSub), not the address",
    section: '§1 envelope (userName)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      const sub = run.answer.ok ? run.answer.value.UserSub : undefined;
      const names = eachEvent(run).map((event) => at(event, 'userName'));
      return expectThat(
        sub !== undefined &&
          /^[0-9a-f-]{36}$/.test(sub) &&
          names.length > 0 &&
          names.every((name) => name === sub),
        `the UserSub (${shown(sub)}) in every event`,
        shown(names),
      );
    },
  },
  {
    id: 'sign-up.submitted-attributes',
    flow: Flow.SignUp,
    title: 'pre sign-up sees exactly the submitted attributes: no sub, no cognito:user_status',
    section: '§1 Details of userAttributes',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      const attributes = at(eventOf(run.calls, PRE_SIGN_UP), 'request', 'userAttributes');
      return expectEqual(attributes, { email: run.user.email, name: 'Probe User' });
    },
  },
  {
    id: 'sign-up.string-attributes',
    flow: Flow.SignUp,
    title: 'every userAttributes value is a string',
    section: '§1 Details of userAttributes',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      const values = eachEvent(run).flatMap((event) =>
        Object.values(at(event, 'request', 'userAttributes') ?? {}),
      );
      return expectThat(
        values.length > 0 && values.every((value) => typeof value === 'string'),
        'strings only',
        shown([...new Set(values.map((value) => typeof value))]),
      );
    },
  },
  {
    id: 'sign-up.validation-data',
    flow: Flow.SignUp,
    title: "SignUp's ValidationData reaches pre sign-up as a map",
    section: '§2 Request; §5 ValidationData',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(
        at(eventOf(run.calls, PRE_SIGN_UP), 'request', 'validationData'),
        SENT_VALIDATION_DATA,
      );
    },
  },
  {
    id: 'sign-up.client-metadata-pre-sign-up',
    flow: Flow.SignUp,
    title: "SignUp's ClientMetadata reaches pre sign-up",
    section: '§5 Which ClientMetadata reaches which trigger',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(at(eventOf(run.calls, PRE_SIGN_UP), 'request', 'clientMetadata'), SENT_METADATA);
    },
  },
  {
    id: 'sign-up.pre-sign-up-response',
    flow: Flow.SignUp,
    title: 'pre sign-up response arrives pre-filled with the three flags false',
    section: '§1 envelope (response); §2 Response',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(at(eventOf(run.calls, PRE_SIGN_UP), 'response'), {
        autoConfirmUser: false,
        autoVerifyEmail: false,
        autoVerifyPhone: false,
      });
    },
  },
  {
    id: 'sign-up.code-parameters',
    flow: Flow.SignUp,
    title:
      'custom message gets the placeholders: codeParameter {####}, linkParameter {##Click Here##}, usernameParameter null',
    section: '§3 Request',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      const request = at(eventOf(run.calls, CUSTOM_MESSAGE), 'request');
      return expectEqual(
        {
          codeParameter: at(request, 'codeParameter'),
          linkParameter: at(request, 'linkParameter'),
          usernameParameter: at(request, 'usernameParameter'),
        },
        { codeParameter: '{####}', linkParameter: '{##Click Here##}', usernameParameter: null },
      );
    },
  },
  {
    id: 'sign-up.custom-message-response',
    flow: Flow.SignUp,
    title: 'custom message response arrives pre-filled with null fields',
    section: '§1 envelope (response); §3 Response',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(at(eventOf(run.calls, CUSTOM_MESSAGE), 'response'), {
        smsMessage: null,
        emailMessage: null,
        emailSubject: null,
      });
    },
  },
  {
    id: 'sign-up.client-metadata-custom-message',
    flow: Flow.SignUp,
    title: "SignUp's ClientMetadata reaches custom message",
    section: '§5 Which ClientMetadata reaches which trigger',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(at(eventOf(run.calls, CUSTOM_MESSAGE), 'request', 'clientMetadata'), SENT_METADATA);
    },
  },
  {
    id: 'sign-up.validation-data-pre-sign-up-only',
    flow: Flow.SignUp,
    title: 'ValidationData reaches no trigger but pre sign-up',
    section: '§5 ValidationData',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(at(eventOf(run.calls, CUSTOM_MESSAGE), 'request', 'validationData'), undefined);
    },
  },
  {
    id: 'sign-up.system-attributes',
    flow: Flow.SignUp,
    title: 'custom message sees the created user: its sub and cognito:user_status UNCONFIRMED',
    section: '§1 Details of userAttributes',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      const attributes = at(eventOf(run.calls, CUSTOM_MESSAGE), 'request', 'userAttributes');
      const sub = run.answer.ok ? run.answer.value.UserSub : undefined;
      return expectEqual(
        { sub: at(attributes, 'sub'), status: at(attributes, 'cognito:user_status') },
        { sub, status: 'UNCONFIRMED' },
      );
    },
  },
  {
    id: 'sign-up.answer',
    flow: Flow.SignUp,
    title: 'the answer: UserConfirmed false, CodeDeliveryDetails by EMAIL to the masked address',
    section: '§2 rule 5; §5b (masked destination)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
      const { UserConfirmed, CodeDeliveryDetails } = run.answer.value;
      return expectEqual(
        { UserConfirmed, CodeDeliveryDetails },
        {
          UserConfirmed: false,
          CodeDeliveryDetails: {
            AttributeName: 'email',
            DeliveryMedium: 'EMAIL',
            Destination: maskedEmail(run.user.email),
          },
        },
      );
    },
  },
  {
    id: 'sign-up.validation-data-not-stored',
    flow: Flow.SignUp,
    title: 'ValidationData is not stored as user attributes',
    section: '§2 Request',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      if (!run.stored.ok) return expectEqual(shownOutcome(run.stored), 'the stored user');
      return expectEqual(
        Object.keys(run.stored.value.attributes).filter((name) => Object.hasOwn(SENT_VALIDATION_DATA, name)),
        [],
      );
    },
  },
  {
    id: 'sign-up.unconfirmed',
    flow: Flow.SignUp,
    title: 'a sign-up pre sign-up leaves alone is stored UNCONFIRMED',
    section: '§2 rule 4',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      return expectEqual(run.stored.ok ? run.stored.value.status : shownOutcome(run.stored), 'UNCONFIRMED');
    },
  },
  {
    id: 'sign-up.stored-unverified',
    flow: Flow.SignUp,
    title: 'the stored user carries email_verified "false" beside the unverified address',
    section: '§5b (stored verified flags)',
    async run(context) {
      const run = await context.once(signUpWithInputs);
      if (!run.stored.ok) return expectEqual(shownOutcome(run.stored), 'the stored user');
      return expectEqual(run.stored.value.attributes.email_verified, 'false');
    },
  },
  {
    id: 'sign-up.no-inputs',
    flow: Flow.SignUp,
    title: 'without them: validationData null, no clientMetadata key in either event',
    section: '§2 Request',
    async run(context) {
      const run = await context.once(signUpBare);
      const preSignUp = at(eventOf(run.calls, PRE_SIGN_UP), 'request');
      const customMessage = at(eventOf(run.calls, CUSTOM_MESSAGE), 'request');
      if (!isObject(preSignUp) || !isObject(customMessage))
        return expectEqual(sourcesOf(run.calls), [PRE_SIGN_UP, CUSTOM_MESSAGE]);
      return expectEqual(
        {
          validationData: preSignUp.validationData,
          preSignUpHasClientMetadata: Object.hasOwn(preSignUp, 'clientMetadata'),
          customMessageHasClientMetadata: Object.hasOwn(customMessage, 'clientMetadata'),
        },
        { validationData: null, preSignUpHasClientMetadata: false, customMessageHasClientMetadata: false },
      );
    },
  },
  {
    id: 'sign-up.existing-user',
    flow: Flow.SignUp,
    title: 'SignUp of an address already signed up fails with UsernameExistsException',
    section: '§5b (existing user name)',
    async run(context) {
      const run = await context.once(signUpBare);
      const again = await signUp(context, run.user);
      return expectEqual(again.ok ? 'success' : again.name, 'UsernameExistsException');
    },
  },
];
