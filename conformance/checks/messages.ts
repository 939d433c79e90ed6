/**
 * The message finally sent: the custom message trigger's text with every placeholder filled, the pool's own
 * text for a field left null, and the default message Cognito falls back to when the trigger's text breaks
 * a rule. Needs a message source that reads text (`--messages inbox:<dir>`).
 */
import { type Check, expectEqual, Flow, notApplicable, type Verdict } from '../check.js';
import { type ProbeUser, type SuiteContext, shownOutcome } from '../context.js';
import type { DeliveredMessage } from '../messages.js';
import type { ProbeBehaviour } from '../probe-lambda.js';
import { adminCreateUser } from './admin-create-user.js';
import { NO_MESSAGE_SOURCE } from './confirmation.js';
import { signUp } from './sign-up.js';

const SUBJECT = 'Probe subject';
/** Two code placeholders: Cognito fills every one (contract §3a). */
const BODY = 'Probe code {####}, once more {####}.';

/** The custom message answer with `emailMessage` (and the probe subject). */
function customEmail(emailMessage: string): ProbeBehaviour {
  return { kind: 'respond', response: { emailSubject: SUBJECT, emailMessage } };
}

type Delivered = { user: ProbeUser; message: DeliveredMessage | undefined; failed?: string };

/** Scenario maker: a sign-up (or an administrator's invitation) whose custom message answers `behaviour`. */
function delivered(
  label: string,
  behaviour: ProbeBehaviour | undefined,
  by: 'sign-up' | 'invitation' = 'sign-up',
) {
  return async (context: SuiteContext): Promise<Delivered> => {
    const user = context.newUser(label);
    if (behaviour !== undefined) context.probe.script(user.key, { CustomMessage: behaviour });
    const answer = by === 'sign-up' ? await signUp(context, user) : await adminCreateUser(context, user);
    const message = context.messages?.latest(user.email, context.pool.userPoolId);
    return { user, message, ...(answer.ok ? {} : { failed: shownOutcome(answer) }) };
  };
}

const customText = delivered('custom-text', customEmail(BODY));
const poolText = delivered('pool-text', undefined);
const invitationWithoutUsername = delivered(
  'no-username',
  customEmail('Your password is {####}.'),
  'invitation',
);
const tooLong = delivered('too-long', customEmail(`{####} ${'x'.repeat(20_000)}`));

/** Runs `judge` on a delivered message, or says why it cannot. */
async function withMessage(
  context: SuiteContext,
  scenario: (context: SuiteContext) => Promise<Delivered>,
  judge: (message: DeliveredMessage) => Verdict,
): Promise<Verdict> {
  if (context.messages?.readsText !== true)
    return notApplicable(`${NO_MESSAGE_SOURCE}, with their text (inbox:)`);
  const run = await context.once(scenario);
  if (run.failed !== undefined) return expectEqual(run.failed, 'success');
  if (run.message === undefined) return expectEqual('no message', 'a message');
  return judge(run.message);
}

/** Checks of the messages sent. */
export const messageChecks: readonly Check[] = [
  {
    id: 'messages.custom-text',
    flow: Flow.Messages,
    title: "the trigger's subject and body are sent, every {####} replaced by the code",
    section: '§3 Response; §3a Placeholders Cognito expands',
    run: (context) =>
      withMessage(context, customText, (message) =>
        expectEqual(
          { custom: message.custom, subject: message.subject, body: message.body },
          { custom: true, subject: SUBJECT, body: BODY.replaceAll('{####}', message.code) },
        ),
      ),
  },
  {
    id: 'messages.null-fields',
    flow: Flow.Messages,
    title: "fields left null: the pool's own message is sent, with the code",
    section: '§3 Response',
    run: (context) =>
      withMessage(context, poolText, (message) =>
        expectEqual(
          {
            custom: message.custom,
            hasCode: message.code !== '' && (message.body ?? '').includes(message.code),
          },
          { custom: false, hasCode: true },
        ),
      ),
  },
  {
    id: 'messages.invitation-without-username',
    flow: Flow.Messages,
    title: 'an invitation body without {username}: the default invitation is sent instead',
    section: '§3 Constraints, item 1',
    run: (context) =>
      withMessage(context, invitationWithoutUsername, (message) => expectEqual(message.custom, false)),
  },
  {
    id: 'messages.body-too-long',
    flow: Flow.Messages,
    title: 'an email body over 20,000 characters: the default message is sent instead',
    section: '§3 Constraints, items 2 and 3',
    run: (context) => withMessage(context, tooLong, (message) => expectEqual(message.custom, false)),
  },
];
