/**
 * `npm run replay:failures -- (--queue-url <url> | --file <messages.json>) --env-vars <file> [--max <n>]
 * [--endpoint-url <url>]`
 *
 * Replays post confirmation onboardings that did not complete: reads the failure queue's messages (from
 * SQS, or from a JSON file such as the output of `aws sqs receive-message`), runs each event again through
 * the built `PostConfirmationFunction` bundle, and deletes each message whose replay now succeeds. Every
 * action is idempotent, so a replay completes what is missing and repeats nothing that was done.
 *
 * The configuration is the deployed function's, given as a SAM `--env-vars` file (PROFILE_TABLE, DEFAULT_GROUPS,
 * EVENT_BUS_NAME, …); there is no default, since replaying under another configuration would run fewer
 * actions and delete a message whose onboarding is still incomplete. For the same reason a message whose
 * failed actions are off in that configuration is kept, not replayed.
 *
 * A message is kept, not replayed, when it was queued without its ClientMetadata (unless --allow-incomplete)
 * or when its event's Region is not the caller's `AWS_REGION`.
 *
 * The function runs with `POST_CONFIRMATION_STRICT=true` (a failure is an error, so it is seen here) and
 * without a failure queue (a failed replay keeps its message instead of adding a copy). It gets the caller's
 * AWS credentials, Region and `AWS_ENDPOINT_URL*` variables. A message whose replay fails stays in the queue
 * and becomes visible again after its visibility timeout. Last line: `N replayed, N failed`; exit 1 on failure.
 * A failed message's line gives the real cause: the errors the function logged (its own thrown error is strict
 * mode's generic SIGNUP_UNAVAILABLE), or the error that stopped the replay with its `cause` chain.
 *
 * A missing option, or one of the wrong shape (a `--queue-url` that is not an SQS queue URL), exits 2 naming
 * it, before any file is read or any AWS credential looked up. An `--env-vars` block that names no function
 * of the template is a warning on stderr.
 */
import { resolve } from 'node:path';
import { buildFunctions } from '../harness/build-functions.js';
import { bundleInvoker } from '../harness/bundle-invoker.js';
import { applyEnvVars, envVarsWarnings } from '../harness/env-vars.js';
import { readJsonFile } from '../harness/fixtures.js';
import { functionByLogicalId, loadTemplate } from '../harness/template.js';
import { isObject } from '../shared/parse-event.js';
import { lazySqsClient, loadSqsSdk } from '../shared/sqs-client.js';
import { parseFailureMessage } from '../triggers/post-confirmation/failure-queue.js';
import { onboardingFromEnv } from '../triggers/post-confirmation/onboarding-from-env.js';
import { parseCommandLine, UsageError } from './command-line.js';
import { describeError, describeLoggedErrors } from './describe-error.js';
import { runMain } from './run-main.js';
import { checkEndpointUrl, checkQueueUrl } from './sqs-urls.js';

const USAGE = `Usage: npm run replay:failures -- (--queue-url <url> | --file <messages.json>) [options]

Runs the post confirmation events of the failure queue again through the built PostConfirmationFunction and
deletes each message whose replay succeeds.

Options:
  --queue-url <url>       the failure queue (FAILURE_QUEUE_URL); messages are received from it and deleted
  --file <file>           a JSON file of messages: an array, or {"Messages": [...]} as aws sqs receive-message
                          prints; each an SQS message ({"Body", "ReceiptHandle"}) or a message body. With
                          --queue-url too, messages with a ReceiptHandle are deleted once replayed
  --env-vars <file>       SAM --env-vars file with the deployed function's configuration (required):
                          {"PostConfirmationFunction": {"PROFILE_TABLE": "...", "DEFAULT_GROUPS": "..."}}
  --max <n>               replay at most n messages (default 100)
  --endpoint-url <url>    SQS endpoint (a local server); the function reads AWS_ENDPOINT_URL_* itself
  --allow-incomplete      also replay messages queued without their ClientMetadata (too large): the
                          requested groups and profile fields are then lost for good
  -h, --help              show this help`;

const FUNCTION = 'PostConfirmationFunction';

// What the replayed function inherits from the caller: credentials, Region, endpoints, config files.
const PASSED_THROUGH =
  /^(?:AWS_(?:ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|REGION|DEFAULT_REGION|CONFIG_FILE|SHARED_CREDENTIALS_FILE|EC2_METADATA_DISABLED|ENDPOINT_URL(?:_\w+)?)|HOME)$/;

/** One message to replay: its body and, when it came from SQS, what deletes it. */
type QueuedMessage = { body: string; receiptHandle?: string; label: string };

function messagesFromFile(path: string): QueuedMessage[] {
  const parsed: unknown = readJsonFile(resolve(path));
  const list = Array.isArray(parsed) ? parsed : isObject(parsed) ? parsed.Messages : undefined;
  if (!Array.isArray(list)) throw new Error(`${path}: expected an array of messages or {"Messages": [...]}`);
  return list.map((item: unknown, index) => {
    const label = `${path}#${index}`;
    if (isObject(item) && typeof item.Body === 'string') {
      return {
        body: item.Body,
        label: typeof item.MessageId === 'string' ? item.MessageId : label,
        ...(typeof item.ReceiptHandle === 'string' ? { receiptHandle: item.ReceiptHandle } : {}),
      };
    }
    return { body: JSON.stringify(item), label };
  });
}

/**
 * Why a replay failed: the errors the function logged (its thrown error is the generic SIGNUP_UNAVAILABLE of
 * strict mode; the actions' own errors are in its logs), else the error it threw.
 */
function failureOf(errorType: string, errorMessage: string, logs: readonly string[]): string {
  const logged = describeLoggedErrors(logs);
  return logged.length > 0 ? logged.join('; ') : `${errorType}: ${errorMessage}`;
}

function passedThroughEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => PASSED_THROUGH.test(entry[0]) && entry[1] !== undefined,
    ),
  );
}

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    options: {
      'queue-url': { type: 'string' },
      file: { type: 'string' },
      'env-vars': { type: 'string' },
      max: { type: 'string', default: '100' },
      'endpoint-url': { type: 'string' },
      'allow-incomplete': { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Every option is checked here, before the SQS client (and so the credential chain) is ever used.
  if (values['queue-url'] === undefined && values.file === undefined) {
    throw new UsageError('missing --queue-url or --file');
  }
  if (values['env-vars'] === undefined) throw new UsageError('missing --env-vars');
  const queueUrl =
    values['queue-url'] === undefined ? undefined : checkQueueUrl('--queue-url', values['queue-url']);
  const endpointUrl =
    values['endpoint-url'] === undefined
      ? undefined
      : checkEndpointUrl('--endpoint-url', values['endpoint-url']);
  const max = Number(values.max);
  if (!/^\d+$/.test(values.max) || !Number.isSafeInteger(max) || max < 1) {
    throw new UsageError(
      `--max must be a whole number of messages, at least 1, not ${JSON.stringify(values.max)}`,
    );
  }
  const sqs = lazySqsClient(
    {
      requestTimeoutMs: 10_000,
      connectionTimeoutMs: 3000,
      maxAttempts: 3,
      ...(endpointUrl === undefined ? {} : { endpoint: endpointUrl }),
    },
    // A command-line tool is not inside Cognito's 5 s.
    { maxTimeoutMs: 30_000, maxAttempts: 5 },
  );

  async function receive(url: string): Promise<QueuedMessage[]> {
    const [client, { ReceiveMessageCommand }] = await Promise.all([sqs(), loadSqsSdk()]);
    const received: QueuedMessage[] = [];
    while (received.length < max) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: Math.min(10, max - received.length),
          WaitTimeSeconds: 1,
          // Long enough to replay the batch; a message that fails comes back after it.
          VisibilityTimeout: 300,
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        received.push({
          body: message.Body ?? '',
          label: message.MessageId ?? '(no id)',
          ...(message.ReceiptHandle === undefined ? {} : { receiptHandle: message.ReceiptHandle }),
        });
      }
    }
    return received;
  }

  async function remove(url: string, receiptHandle: string): Promise<void> {
    const [client, { DeleteMessageCommand }] = await Promise.all([sqs(), loadSqsSdk()]);
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: receiptHandle }));
  }

  // Build and check the configuration first: received messages stay hidden only for their visibility timeout.
  const template = loadTemplate();
  const spec = functionByLogicalId(template, FUNCTION);
  const envVars = readJsonFile(resolve(values['env-vars']));
  for (const warning of envVarsWarnings(template, envVars)) console.warn(warning);
  const [built] = await buildFunctions({ functions: [FUNCTION] });
  if (built === undefined) throw new Error(`${FUNCTION} was not built`);
  const environment: Record<string, string> = {
    ...applyEnvVars(spec, envVars),
    ...passedThroughEnvironment(),
    POST_CONFIRMATION_STRICT: 'true',
    FAILURE_QUEUE_URL: '',
    // A queued password reset was onboarded by the deployment that queued it (ONBOARD_ON_PASSWORD_RESET):
    // replayed without this, it would be skipped, called a success, and deleted.
    ONBOARD_ON_PASSWORD_RESET: 'true',
  };
  // The services are the caller's Region's; an event of another Region would onboard in the wrong one.
  // (The worker defaults to us-east-1, as lambdaEnvironment does, when the caller sets none.)
  const region = environment.AWS_REGION ?? 'us-east-1';
  const enabled = new Set(onboardingFromEnv(environment).actions.map((action) => action.name));
  const messages = (
    values.file === undefined ? await receive(queueUrl ?? '') : messagesFromFile(values.file)
  ).slice(0, max);
  if (messages.length === 0) {
    console.log('No messages to replay.\n0 replayed, 0 failed');
    return 0;
  }

  const invoker = bundleInvoker({
    bundlePath: built.bundlePath,
    exportName: spec.exportName,
    environment,
    functionName: FUNCTION,
    memoryMb: spec.memoryMb,
  });

  let replayed = 0;
  let failed = 0;
  try {
    for (const message of messages) {
      let outcome: string;
      try {
        const { event, failedActions, complete } = parseFailureMessage(message.body);
        if (!complete && values['allow-incomplete'] !== true) {
          throw new Error('queued without its ClientMetadata (--allow-incomplete replays it without)');
        }
        if (event.region !== region) {
          throw new Error(
            `the event is from ${String(event.region)}; run with AWS_REGION=${String(event.region)}`,
          );
        }
        const off = failedActions.map((failed) => failed.action).filter((action) => !enabled.has(action));
        if (off.length > 0) throw new Error(`${off.join(', ')} off in the --env-vars configuration`);
        const result = await invoker.invoke(event, spec.timeoutSeconds * 1000);
        if (result.kind === 'returned') {
          if (queueUrl !== undefined && message.receiptHandle !== undefined) {
            await remove(queueUrl, message.receiptHandle);
            outcome = 'replayed, deleted';
          } else {
            outcome = 'replayed';
          }
          replayed += 1;
          console.log(
            `OK      ${message.label} (${failedActions.map((f) => f.action).join(', ')}): ${outcome}`,
          );
          continue;
        }
        outcome =
          result.kind === 'threw'
            ? failureOf(result.errorType, result.errorMessage, result.logs)
            : [`timed out after ${spec.timeoutSeconds} s`, ...describeLoggedErrors(result.logs)].join('; ');
      } catch (error) {
        outcome = describeError(error);
      }
      failed += 1;
      console.log(`FAILED  ${message.label}: ${outcome} (kept)`);
    }
  } finally {
    await invoker.close();
  }
  console.log(`${replayed} replayed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

runMain(main, { usage: USAGE, describeError });
