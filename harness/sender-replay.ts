/**
 * Replays recorded custom sender events (events/custom-email-sender/, events/custom-sms-sender/) through the
 * built sender bundles, as Lambda runs them, and says what each delivered (docs/custom-senders.md).
 *
 * A fixture cannot hold the ciphertext Cognito sent: that is tied to a KMS key nobody here has. So an event's
 * `request.code` holds `"<encrypt:PLAINTEXT>"`, and at replay time the harness encrypts the plaintext exactly
 * as Cognito does (harness/custom-sender-cipher.ts: an Encryption SDK message with the event's `userpool-id`
 * context; a temporary password HTML-escaped first, as Cognito escapes it) with an AES key made for the run,
 * which the function gets as `CODE_KEY_RAW_AES`. Delivery goes to a loopback SES v2/SNS stand-in
 * (local/custom-senders.ts) writing into a temporary inbox, which the outcome reads back.
 *
 * The outcome (`<event>.expected.json`): `{ description, outcome: { kind, delivered: [{ channel, to, source,
 * subject?, codeInBody }] } }`: whether the function returned or threw (and how), and each message it sent,
 * with whether the decrypted code reached the body. The users the function looks up (AdminGetUser) come from
 * the expectation's `users`, served by a loopback Cognito stand-in.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localCodeKey, pendingCodes, startMailEndpoint } from '../local/custom-senders.js';
import { createInbox } from '../local/inbox.js';
import type { CustomSenderTriggerName } from '../shared/custom-sender/events.js';
import { isObject } from '../shared/parse-event.js';
import { escapeHtml } from '../triggers/custom-message/sanitize-value.js';
import { bundleInvoker } from './bundle-invoker.js';
import { jsonEqual } from './cognito-simulator.js';
import { encryptCode, escapeTemporaryPassword } from './custom-sender-cipher.js';
import { FixtureError } from './errors.js';
import { expectationPathOf, readJsonFile } from './fixtures.js';
import { fromProjectRoot } from './paths.js';
import { type FunctionSpec, loadTemplate } from './template.js';

/** The marker a fixture's `request.code` holds instead of a ciphertext. */
const ENCRYPT_MARKER = /^<encrypt:([\s\S]*)>$/;

/** What one replay did. */
export type SenderOutcome = {
  kind: 'returned' | 'threw' | 'timeout';
  /** For a function that threw: Lambda's error type. */
  errorType?: string;
  delivered: { channel: string; to: string; source: string; subject?: string; codeInBody: boolean }[];
};

/**
 * A sender fixture's expectation. `users`: what the pool holds for the users the function looks up (the
 * account-takeover notification asks Cognito for the address, AdminGetUser), by user name.
 */
export type SenderExpectation = {
  description: string;
  users?: Record<string, Record<string, string>>;
  outcome: SenderOutcome;
};

/** What {@link createSenderReplayer} gives. */
export type SenderReplayer = {
  /** Runs one sender event (the `<encrypt:…>` marker encrypted now); `users`: the pool's, for AdminGetUser. */
  replayEvent(event: unknown, users?: Record<string, Record<string, string>>): Promise<SenderOutcome>;
  replayFixture(
    file: string,
  ): Promise<{ expected: SenderExpectation | undefined; actual: SenderOutcome; passed: boolean }>;
  close(): Promise<void>;
};

function triggerOfSource(source: unknown): CustomSenderTriggerName | undefined {
  if (typeof source !== 'string') return undefined;
  if (source.startsWith('CustomEmailSender_')) return 'CustomEmailSender';
  if (source.startsWith('CustomSMSSender_')) return 'CustomSMSSender';
  return undefined;
}

/**
 * A replayer over the built sender bundles in `distDir` (default `dist`, built by `npm run build`).
 *
 * @example
 * const replayer = createSenderReplayer();
 * const { passed } = await replayer.replayFixture('events/custom-email-sender/sign-up.email.json');
 */
export function createSenderReplayer(
  options: { distDir?: string; environment?: Record<string, string> } = {},
): SenderReplayer {
  const template = loadTemplate(fromProjectRoot('template.yaml'));
  const key = localCodeKey();
  const folder = mkdtempSync(join(tmpdir(), 'sender-replay-'));
  const inbox = createInbox({ directory: join(folder, 'inbox') });
  const pending = pendingCodes();
  const mail = startMailEndpoint({ inbox, pending });
  const invokers = new Map<string, ReturnType<typeof bundleInvoker>>();
  // The users of the fixture being replayed: what the Cognito stand-in answers AdminGetUser with.
  let users: Record<string, Record<string, string>> = {};
  const cognito = startCognitoStandIn(() => users);

  function specOf(trigger: CustomSenderTriggerName): FunctionSpec<CustomSenderTriggerName> {
    const spec = template.senderFunctions.find((candidate) => candidate.trigger === trigger);
    if (spec === undefined) throw new FixtureError('template.yaml', `holds no ${trigger} function`);
    return spec;
  }

  async function invokerOf(trigger: CustomSenderTriggerName) {
    const spec = specOf(trigger);
    let invoker = invokers.get(spec.logicalId);
    if (invoker === undefined) {
      const { url } = await mail;
      invoker = bundleInvoker({
        bundlePath: resolve(fromProjectRoot(options.distDir ?? 'dist'), spec.logicalId, spec.bundleFile),
        exportName: spec.exportName,
        functionName: spec.logicalId,
        memoryMb: spec.memoryMb,
        environment: {
          ...spec.environment,
          APP_NAME: spec.environment.APP_NAME ?? 'My App',
          CODE_KEY_ARN: '',
          CODE_KEY_RAW_AES: key.base64,
          EMAIL_FROM_ADDRESS: 'Replay <no-reply@example.com>',
          SMS_ALLOWED_COUNTRIES: spec.environment.SMS_ALLOWED_COUNTRIES || 'US',
          SEND_ONCE_TABLE: '',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'replay',
          AWS_SECRET_ACCESS_KEY: 'replay',
          AWS_ENDPOINT_URL_SESV2: url,
          AWS_ENDPOINT_URL_SNS: url,
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: (await cognito).url,
          NODE_PATH: fromProjectRoot('node_modules'),
          ...options.environment,
        },
      });
      invokers.set(spec.logicalId, invoker);
    }
    return { invoker, spec };
  }

  /** The event with its `<encrypt:…>` marker replaced by a ciphertext, and the plaintext. */
  async function encrypted(
    event: Record<string, unknown>,
  ): Promise<{ event: unknown; plaintext: string | undefined }> {
    const request = isObject(event.request) ? event.request : {};
    const marker = typeof request.code === 'string' ? ENCRYPT_MARKER.exec(request.code) : null;
    if (marker === null) return { event, plaintext: undefined };
    const plaintext = marker[1] ?? '';
    const isPassword = String(event.triggerSource).endsWith('_AdminCreateUser');
    const secret = isPassword ? escapeTemporaryPassword(plaintext) : plaintext;
    const code = await encryptCode(secret, { ...key, userPoolId: String(event.userPoolId) });
    return { event: { ...event, request: { ...request, code } }, plaintext };
  }

  /** Runs one sender event (its `<encrypt:…>` code encrypted now), with `known` as the pool's users. */
  async function replayEvent(
    raw: unknown,
    known: Record<string, Record<string, string>> = {},
  ): Promise<SenderOutcome> {
    if (!isObject(raw)) throw new FixtureError('event', 'is not a JSON object');
    const trigger = triggerOfSource(raw.triggerSource);
    if (trigger === undefined) throw new FixtureError('event', 'has no custom sender triggerSource');
    users = known;
    const { event, plaintext } = await encrypted(raw);
    const before = inbox.messages().length;
    const { invoker, spec } = await invokerOf(trigger);
    const result = await invoker.invoke(event, spec.timeoutSeconds * 1000);
    const delivered = inbox
      .messages()
      .slice(before)
      .map((message) => {
        const body = readFileSync(message.file, 'utf8');
        return {
          channel: message.channel,
          to: message.to,
          source: String(raw.triggerSource),
          ...(message.subject === undefined ? {} : { subject: message.subject }),
          codeInBody:
            plaintext !== undefined &&
            plaintext !== '' &&
            (body.includes(plaintext) || body.includes(escapeHtml(plaintext))),
        };
      });
    return {
      kind: result.kind,
      ...(result.kind === 'threw' ? { errorType: result.errorType } : {}),
      delivered,
    };
  }

  async function replayFixture(file: string) {
    const path = fromProjectRoot(file);
    const raw = readJsonFile(path);
    let expected: SenderExpectation | undefined;
    try {
      expected = readJsonFile(expectationPathOf(path)) as SenderExpectation;
    } catch {
      expected = undefined;
    }
    const actual = await replayEvent(raw, expected?.users);
    return { expected, actual, passed: expected !== undefined && jsonEqual(expected.outcome, actual) };
  }

  return {
    replayEvent,
    replayFixture,
    async close() {
      await Promise.all([...invokers.values()].map((invoker) => invoker.close()));
      await (await mail).close();
      await (await cognito).close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Writes `actual` as the fixture's expectation (keeping its description). */
export function updateSenderExpectation(
  file: string,
  expected: SenderExpectation | undefined,
  actual: SenderOutcome,
): void {
  const expectation: SenderExpectation = {
    description: expected?.description ?? 'Recorded: say in one sentence why this outcome is right.',
    ...(expected?.users === undefined ? {} : { users: expected.users }),
    outcome: actual,
  };
  writeFileSync(expectationPathOf(fromProjectRoot(file)), `${JSON.stringify(expectation, null, 2)}\n`);
}

/**
 * A loopback Cognito that answers AdminGetUser from `users()` (by user name) and UserNotFoundException
 * otherwise, in the AWS JSON protocol; anything else is refused.
 */
async function startCognitoStandIn(users: () => Record<string, Record<string, string>>) {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Username?: unknown };
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      const attributes = typeof body.Username === 'string' ? users()[body.Username] : undefined;
      if (!target.endsWith('.AdminGetUser'))
        return reply(400, { __type: 'UnsupportedOperation', message: target });
      if (attributes === undefined)
        return reply(400, { __type: 'UserNotFoundException', message: 'User does not exist.' });
      return reply(200, {
        Username: body.Username,
        UserStatus: 'CONFIRMED',
        Enabled: true,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
