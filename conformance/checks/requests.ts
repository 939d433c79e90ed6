/**
 * What the API does with a request before any trigger: a confidential client's SecretHash, the model's
 * limits on what SignUp carries, and how an error answer names its type.
 */
import { type Check, expectEqual, expectThat, Flow, shown } from '../check.js';
import {
  at,
  type CallOutcome,
  eventOf,
  type SuiteContext,
  secretHashOf,
  shownOutcome,
  sourcesOf,
} from '../context.js';
import { signUp } from './sign-up.js';

/** Scenario: SignUp through the confidential client, with and without SecretHash. */
async function confidentialSignUps(context: SuiteContext) {
  const { confidentialClientId: clientId, confidentialClientSecret: secret } = context.pool;
  const user = context.newUser('confidential');
  const withHash = await signUp(context, user, {
    clientId,
    secretHash: secretHashOf(user.email, clientId, secret),
  });
  const other = context.newUser('no-hash');
  const withoutHash = await signUp(context, other, { clientId });
  return {
    user,
    withHash,
    calls: context.probe.callsOf(user.key),
    withoutHash,
    callsWithout: context.probe.callsOf(other.key),
  };
}

/** A SignUp over one of the model's limits: refused before any trigger with InvalidParameterException. */
function overLimit(
  id: string,
  title: string,
  section: string,
  send: (context: SuiteContext) => Promise<{ answer: CallOutcome<unknown>; calls: number }>,
): Check {
  return {
    id,
    flow: Flow.Requests,
    title,
    section,
    async run(context) {
      const { answer, calls } = await send(context);
      return expectThat(
        !answer.ok && answer.name === 'InvalidParameterException' && calls === 0,
        'InvalidParameterException, no trigger call',
        `${shownOutcome(answer)}; ${calls} trigger call(s)`,
      );
    },
  };
}

/** Checks of requests as the API judges them. */
export const requestChecks: readonly Check[] = [
  {
    id: 'confidential.sign-up',
    flow: Flow.ConfidentialClient,
    title: "a confidential client's SignUp with a valid SecretHash runs, the events naming that client",
    section: '§5b (SecretHash); §1 envelope (callerContext.clientId)',
    async run(context) {
      const run = await context.once(confidentialSignUps);
      if (!run.withHash.ok) return expectEqual(shownOutcome(run.withHash), 'success');
      return expectEqual(
        {
          source: at(eventOf(run.calls, 'PreSignUp_SignUp'), 'triggerSource'),
          clientId: at(eventOf(run.calls, 'PreSignUp_SignUp'), 'callerContext', 'clientId'),
        },
        { source: 'PreSignUp_SignUp', clientId: context.pool.confidentialClientId },
      );
    },
  },
  {
    id: 'confidential.no-secret-hash',
    flow: Flow.ConfidentialClient,
    title: "a confidential client's SignUp without SecretHash: NotAuthorizedException, no trigger call",
    section: '§5b (SecretHash)',
    async run(context) {
      const run = await context.once(confidentialSignUps);
      return expectThat(
        !run.withoutHash.ok &&
          run.withoutHash.name === 'NotAuthorizedException' &&
          run.callsWithout.length === 0,
        'NotAuthorizedException, no trigger call',
        `${shownOutcome(run.withoutHash)}; ${shown(sourcesOf(run.callsWithout))}`,
      );
    },
  },
  overLimit(
    'limits.validation-data-name',
    'a ValidationData name of 33 characters (the model allows 32)',
    '§5 ValidationData',
    async (context) => {
      const user = context.newUser('long-name');
      const answer = await signUp(context, user, { validationData: { ['n'.repeat(33)]: 'value' } });
      return { answer, calls: context.probe.callsOf(user.key).length };
    },
  ),
  overLimit(
    'limits.validation-data-value',
    'a ValidationData value of 2,049 characters (the model allows 2,048)',
    '§5 ValidationData',
    async (context) => {
      const user = context.newUser('long-value');
      const answer = await signUp(context, user, { validationData: { invite: 'v'.repeat(2_049) } });
      return { answer, calls: context.probe.callsOf(user.key).length };
    },
  ),
  overLimit(
    'limits.attribute-value',
    'a user attribute value of 2,049 characters (the model allows 2,048)',
    '§5 Other limits from the model',
    async (context) => {
      const user = context.newUser('long-attribute');
      const answer = await signUp(context, user, { attributes: { name: 'n'.repeat(2_049) } });
      return { answer, calls: context.probe.callsOf(user.key).length };
    },
  ),
  overLimit(
    'limits.password-length',
    'a password of 257 characters (the model allows 256)',
    '§5 Other limits from the model',
    async (context) => {
      const user = context.newUser('long-password');
      const answer = await signUp(context, { ...user, password: `Aa1-${'x'.repeat(253)}` });
      return { answer, calls: context.probe.callsOf(user.key).length };
    },
  ),
  overLimit(
    'limits.username-length',
    'a user name of 129 characters (the model allows 128)',
    '§5 Other limits from the model',
    async (context) => {
      const user = context.newUser('long-username');
      const email = `${user.key}.${'u'.repeat(128 - user.key.length - '@example.com'.length)}@example.com`;
      const answer = await signUp(context, { ...user, email });
      return { answer, calls: context.probe.callsOf(user.key).length };
    },
  ),
  {
    id: 'api.error-type-header',
    flow: Flow.Requests,
    title: 'an error answer names its type in the x-amzn-ErrorType header (ending in ":") and in __type',
    section: '§5b (error answers)',
    async run(context) {
      const response = await fetch(context.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp',
        },
        body: JSON.stringify({
          ClientId: 'no-such-client',
          Username: 'nobody@example.com',
          Password: 'Conformance-Pass-1',
        }),
      });
      const body = (await response.json().catch(() => ({}))) as { __type?: unknown };
      const header = response.headers.get('x-amzn-ErrorType');
      const type = String(body.__type ?? '');
      return expectThat(
        response.status === 400 &&
          type !== '' &&
          header !== null &&
          header.split(':')[0] === type.split('#').at(-1) &&
          header.endsWith(':'),
        'HTTP 400, x-amzn-ErrorType "<type>:" naming the __type',
        `HTTP ${response.status}, x-amzn-ErrorType ${shown(header)}, __type ${shown(body.__type)}`,
      );
    },
  },
];
