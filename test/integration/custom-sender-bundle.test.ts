/**
 * The built custom sender bundles (MessageDelivery CustomSenders of template.yaml) against real local
 * servers: moto (KMS, SES v2, SNS) and dynalite (the send-once table). Each bundle runs in a child process
 * with the template's environment, as Lambda would, reaching the servers through the SDK's
 * `AWS_ENDPOINT_URL_<SERVICE>` variables; each code is encrypted as Cognito encrypts it
 * (harness/custom-sender-cipher.ts: KMS keyring, suite 0x0378, `userpool-id` context).
 *
 * Proves (docs/custom-senders.md): the code reaches the inbox (moto's record) inside the catalogue's message;
 * a temporary password arrives unescaped once and HTML-escaped in the email; Lambda's retry of the same
 * event sends nothing more; an SMS goes to an allowed country only; a code from another pool, or a number
 * outside the allow-list, fails the invocation (so Lambda retries it) and sends nothing; the plaintext code
 * appears in no log line; the account-takeover notification, which names no address, reaches the email of a
 * user the sender looks up in moto's Cognito (AdminGetUser), once per risk event.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFunctions } from '../../harness/build-functions.js';
import { bundleInvoker } from '../../harness/bundle-invoker.js';
import { encryptCode } from '../../harness/custom-sender-cipher.js';
import { applyEnvVars } from '../../harness/env-vars.js';
import type { InvocationResult, Invoker } from '../../harness/invocation.js';
import { fromProjectRoot } from '../../harness/paths.js';
import { type FunctionSpec, parseTemplate } from '../../harness/template.js';
import type { CustomSenderTriggerName } from '../../shared/custom-sender/events.js';
import { accountTakeOverEvent } from '../support/builders.js';
import { type DynaliteServer, startDynaliteServer } from '../support/dynalite-server.js';
import { describeWithMoto, type MotoServer, startMotoServer } from '../support/moto-server.js';
import { withParameterDefaults } from '../unit/harness/template-copies.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'us-east-1';
const POOL = 'us-east-1_SenderTest1';
const TABLE = 'SendOnce';

type RecordedEmail = { subject: string; body: string; destinations: { ToAddresses?: string[] } };
type RecordedSms = { phone_number: string; message: string };
type MotoData = { ses?: { Message?: RecordedEmail[] }; sns?: { SMS?: RecordedSms[] } };

describeWithMoto('Trigger: custom sender bundles against moto (KMS, SES v2, SNS) and dynalite', () => {
  let moto: MotoServer;
  let dynalite: DynaliteServer;
  let outDir: string;
  let keyArn: string;
  const specs: Partial<Record<CustomSenderTriggerName, FunctionSpec<CustomSenderTriggerName>>> = {};
  const bundles: Partial<Record<CustomSenderTriggerName, string>> = {};
  const invokers: Invoker[] = [];
  let users = 0;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'custom-sender-bundle-'));
    [moto, dynalite] = await Promise.all([startMotoServer(), startDynaliteServer()]);
    const kms = new KMSClient({ endpoint: moto.endpoint, region, credentials });
    keyArn = (await kms.send(new CreateKeyCommand({ Description: 'codes' }))).KeyMetadata?.Arn ?? '';
    kms.destroy();
    const ses = new SESv2Client({ endpoint: moto.endpoint, region, credentials });
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    ses.destroy();
    await dynalite.createTable(TABLE, 'id');
    // The template in sender mode: its functions, with the environment the stack would give them.
    const text = withParameterDefaults(readFileSync(fromProjectRoot('template.yaml'), 'utf8'), {
      MessageDelivery: 'CustomSenders',
    });
    const model = parseTemplate(text, fromProjectRoot('template.yaml'));
    for (const spec of model.senderFunctions) specs[spec.trigger] = spec;
    const built = await buildFunctions({
      outDir,
      functions: model.senderFunctions.map((spec) => spec.logicalId),
    });
    for (const spec of model.senderFunctions) {
      bundles[spec.trigger] = built.find((bundle) => bundle.logicalId === spec.logicalId)?.bundlePath ?? '';
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(invokers.map((invoker) => invoker.close()));
    await Promise.all([moto?.stop(), dynalite?.stop()]);
    rmSync(outDir, { recursive: true, force: true });
  }, 60_000);

  /** A cold instance of the sender of `trigger`, configured as the stack configures it. */
  function sender(trigger: CustomSenderTriggerName): Invoker {
    const spec = specs[trigger] as FunctionSpec<CustomSenderTriggerName>;
    const invoker = bundleInvoker({
      bundlePath: bundles[trigger] ?? '',
      exportName: spec.exportName,
      functionName: spec.logicalId,
      memoryMb: spec.memoryMb,
      environment: {
        ...applyEnvVars(spec as unknown as FunctionSpec, {}),
        APP_NAME: 'Example',
        CODE_KEY_ARN: keyArn,
        EMAIL_FROM_ADDRESS: 'Example <no-reply@example.com>',
        SMS_ALLOWED_COUNTRIES: 'US,CA',
        SEND_ONCE_TABLE: TABLE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_PATH: fromProjectRoot('node_modules'),
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_ENDPOINT_URL_KMS: moto.endpoint,
        AWS_ENDPOINT_URL_SESV2: moto.endpoint,
        AWS_ENDPOINT_URL_SNS: moto.endpoint,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: moto.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      },
    });
    invokers.push(invoker);
    return invoker;
  }

  async function recorded(): Promise<MotoData> {
    return (await (await fetch(`${moto.endpoint}/moto-api/data.json`)).json()) as MotoData;
  }

  async function emailsTo(address: string): Promise<RecordedEmail[]> {
    return ((await recorded()).ses?.Message ?? []).filter((message) =>
      message.destinations.ToAddresses?.includes(address),
    );
  }

  async function smsTo(phone: string): Promise<RecordedSms[]> {
    return ((await recorded()).sns?.SMS ?? []).filter((message) => message.phone_number === phone);
  }

  /** A sender event as Cognito sends it (the real capture's shape), the code encrypted for `pool`. */
  async function senderEvent(
    triggerSource: string,
    secret: string,
    attributes: Record<string, string>,
    pool = POOL,
  ) {
    users += 1;
    // The pool signs users in by email: the user name is the `sub` (contract §1).
    const userName = `00000000-0000-4000-8000-${String(users).padStart(12, '0')}`;
    return {
      version: '1',
      triggerSource,
      region,
      userPoolId: POOL,
      userName,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client1example' },
      request: {
        type: triggerSource.startsWith('CustomSMSSender')
          ? 'customSMSSenderRequestV1'
          : 'customEmailSenderRequestV1',
        code: await encryptCode(secret, {
          keyArn,
          endpoint: moto.endpoint,
          region,
          credentials,
          userPoolId: pool,
        }),
        userAttributes: { sub: userName, 'cognito:user_status': 'UNCONFIRMED', ...attributes },
        clientMetadata: null,
      },
    };
  }

  function invoke(invoker: Invoker, event: unknown): Promise<InvocationResult> {
    return invoker.invoke(event, 30_000);
  }

  it('sends the sign-up code inside the catalogue email through SES, and nothing to the logs', async () => {
    // Prepare
    const email = `jane.${users}@example.com`;
    const event = await senderEvent('CustomEmailSender_SignUp', '482913', { email });

    // Act
    const result = await invoke(sender('CustomEmailSender'), event);

    // Assess
    expect(result.kind).toBe('returned');
    const [sent, ...more] = await emailsTo(email);
    expect(more).toEqual([]);
    expect(sent?.body).toContain('482913');
    expect(sent?.subject).toContain('Example');
    expect(result.logs.filter((line) => line.includes('482913') || line.includes(email))).toEqual([]);
  });

  it("sends nothing more for Lambda's retry of the same event (send-once record)", async () => {
    // Prepare
    const email = `kim.${users}@example.com`;
    const event = await senderEvent('CustomEmailSender_ForgotPassword', '615204', { email });
    const first = await invoke(sender('CustomEmailSender'), event);

    // Act
    const retry = await invoke(sender('CustomEmailSender'), event);

    // Assess
    expect([first.kind, retry.kind]).toEqual(['returned', 'returned']);
    expect((await emailsTo(email)).map((message) => message.body.includes('615204'))).toEqual([true]);
    expect(retry.logs.some((line) => line.includes('already sent, skipped'))).toBe(true);
  });

  it('unescapes a temporary password once and escapes it for the HTML email (contract §3)', async () => {
    // Prepare: Cognito HTML-escapes < and > in temporary passwords before encrypting them.
    const email = `lee.${users}@example.com`;
    const event = await senderEvent('CustomEmailSender_AdminCreateUser', 'Pa&lt;ss&gt;7!', { email });

    // Act
    const result = await invoke(sender('CustomEmailSender'), event);

    // Assess
    expect(result.kind).toBe('returned');
    const [sent] = await emailsTo(email);
    expect(sent?.body).toContain('Pa&lt;ss&gt;7!');
    expect(sent?.body).not.toContain('&amp;lt;');
    expect(sent?.body).toContain(email);
  });

  it('sends the SMS code to an allowed country through SNS', async () => {
    // Prepare
    const phone = `+1415555${String(1000 + users).slice(-4)}`;
    const event = await senderEvent('CustomSMSSender_SignUp', '730561', { phone_number: phone });

    // Act
    const result = await invoke(sender('CustomSMSSender'), event);

    // Assess
    expect(result.kind).toBe('returned');
    const messages = await smsTo(phone);
    expect(messages.map((message) => message.message.includes('730561'))).toEqual([true]);
  });

  it('sends the account-takeover notification to the email of the user it looks up in Cognito, once', async () => {
    // Prepare: a pool and a user in moto's Cognito; the event names the user, never the address.
    const cognito = new CognitoIdentityProviderClient({ endpoint: moto.endpoint, region, credentials });
    const poolId =
      (await cognito.send(new CreateUserPoolCommand({ PoolName: 'takeover' }))).UserPool?.Id ?? '';
    const email = `ana.${users}@example.com`;
    const userName = `00000000-0000-4000-9000-${String(users).padStart(12, '0')}`;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: userName,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'locale', Value: 'fr' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    cognito.destroy();
    // The real capture's shape (PR52111): no code, threat fields in place of the user's attributes.
    const event = accountTakeOverEvent(
      {
        LOGIN_TIME: 'Friday, March 19, 2021 02:25 PM UTC',
        CITY: 'Lisbon',
        COUNTRY: 'Portugal',
        ACCOUNT_TAKE_OVER_ACTION: 'BLOCK',
        FEEDBACK_TOKEN: 'feedback-token-example',
        ONE_CLICK_LINK_VALID: 'https://cognito-idp.us-east-1.amazonaws.com/risk?token=valid',
        DEVICE_NAME: '(Opera 74, Linux)',
        EVENT_ID: `event-${userName}`,
        IP_ADDRESS: '203.0.113.7',
        USER_NAME: userName,
        ONE_CLICK_LINK_INVALID: 'https://cognito-idp.us-east-1.amazonaws.com/risk?token=invalid',
      },
      { region, userPoolId: poolId, userName },
    );
    const first = await invoke(sender('CustomEmailSender'), event);

    // Act: Lambda's retry of the same event.
    const retry = await invoke(sender('CustomEmailSender'), event);

    // Assess: one email, in the user's locale, with the details and both links; no address in the logs.
    expect([first.kind, retry.kind]).toEqual(['returned', 'returned']);
    const [sent, ...more] = await emailsTo(email);
    expect(more).toEqual([]);
    expect(sent?.subject).toContain('Example');
    expect(sent?.body).toContain('<html lang="fr"');
    expect(sent?.body).toContain('Friday, March 19, 2021 02:25 PM UTC');
    expect(sent?.body).toContain('Lisbon, Portugal');
    expect(sent?.body).toContain('href="https://cognito-idp.us-east-1.amazonaws.com/risk?token=invalid"');
    expect(retry.logs.some((line) => line.includes('already sent, skipped'))).toBe(true);
    expect([...first.logs, ...retry.logs].filter((line) => line.includes(email))).toEqual([]);
  });

  it.each([
    ['a number outside SMS_ALLOWED_COUNTRIES', 'CustomSMSSender', { phone_number: '+33612345678' }, POOL],
    [
      'a code encrypted for another pool',
      'CustomEmailSender',
      { email: 'nobody.x@example.com' },
      'us-east-1_Other9',
    ],
  ] as const)(
    'fails the invocation (Lambda retries it) and sends nothing for %s',
    async (_case, trigger, attributes, pool) => {
      // Prepare
      const source = `${trigger}_SignUp`;
      const event = await senderEvent(source, '904417', attributes, pool);
      const before = JSON.stringify(await recorded());

      // Act
      const result = await invoke(sender(trigger), event);

      // Assess
      expect(result.kind).toBe('threw');
      expect(JSON.stringify(await recorded())).toBe(before);
      expect(JSON.stringify(result)).not.toContain('904417');
    },
  );
});
