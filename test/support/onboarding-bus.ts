/**
 * Post confirmation's AWS side on a moto server: an event bus whose rule delivers every `UserConfirmed`
 * event to a queue the test reads, and a failure queue.
 */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { CognitoLocalServer } from './cognito-local-server.js';
import type { DynaliteServer } from './dynalite-server.js';
import type { MotoServer } from './moto-server.js';

/** What {@link createOnboardingBus} made. */
export type OnboardingBus = {
  sqs: SQSClient;
  /** The queue the bus rule delivers `UserConfirmed` events to. */
  confirmedQueueUrl: string;
  /** The failure queue (`FAILURE_QUEUE_URL`). */
  failureQueueUrl: string;
  /** Every message the queue holds now, received (and so hidden) for the visibility timeout. */
  drain(queueUrl: string): Promise<Message[]>;
  /** The `detail.eventId` of each `UserConfirmed` event delivered since the last read. */
  publishedEventIds(): Promise<string[]>;
  close(): void;
};

/** Creates the bus `bus`, its rule and target queue, and the failure queue on the server at `endpoint`. */
export async function createOnboardingBus(endpoint: string, bus: string): Promise<OnboardingBus> {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const sqs = new SQSClient(config);
  const eventBridge = new EventBridgeClient(config);
  const queueUrl = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  const confirmedQueueUrl = await queueUrl(`${bus}-user-confirmed`);
  const failureQueueUrl = await queueUrl(`${bus}-failures`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: confirmedQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await eventBridge.send(new CreateEventBusCommand({ Name: bus }));
  await eventBridge.send(
    new PutRuleCommand({
      Name: 'user-confirmed-to-queue',
      EventBusName: bus,
      EventPattern: JSON.stringify({ 'detail-type': ['UserConfirmed'] }),
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: 'user-confirmed-to-queue',
      EventBusName: bus,
      Targets: [{ Id: 'queue', Arn: Attributes?.QueueArn }],
    }),
  );
  eventBridge.destroy();

  async function drain(url: string): Promise<Message[]> {
    const messages: Message[] = [];
    for (let round = 0; round < 20; round += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      messages.push(...Messages);
    }
    return messages;
  }

  return {
    sqs,
    confirmedQueueUrl,
    failureQueueUrl,
    drain,
    async publishedEventIds() {
      return (await drain(confirmedQueueUrl)).map(
        (message) => (JSON.parse(message.Body ?? '{}') as { detail: { eventId: string } }).detail.eventId,
      );
    },
    close: () => sqs.destroy(),
  };
}

/** What {@link prepareOnboarding} made on the servers: a pool with its groups, and the bus and queues. */
export type PreparedOnboarding = { pool: { poolId: string; clientId: string }; bus: OnboardingBus };

/**
 * Everything post confirmation's actions write to, on local servers: a cognito-local pool with `groups`, the
 * dynalite profile table `table` (keyed by `sub`), and the moto bus `bus` with its queues.
 */
export async function prepareOnboarding(
  servers: {
    cognito: Pick<CognitoLocalServer, 'createPool' | 'createGroups'>;
    dynalite: Pick<DynaliteServer, 'createTable'>;
    moto: Pick<MotoServer, 'endpoint'>;
  },
  names: { groups: readonly string[]; table: string; bus: string },
): Promise<PreparedOnboarding> {
  const pool = await servers.cognito.createPool();
  await servers.cognito.createGroups(pool.poolId, [...names.groups]);
  await servers.dynalite.createTable(names.table, 'sub');
  return { pool, bus: await createOnboardingBus(servers.moto.endpoint, names.bus) };
}
