/**
 * `npm start`'s sender mode (`--message-delivery CustomSenders`, docs/custom-senders.md): the local pool does
 * what Cognito does with custom sender triggers, and the sender functions run unchanged.
 *
 * - **Pool side** ({@link senderDelivery}, in place of cognito-local's message delivery): for each code the
 *   pool would send, it builds the custom sender event Cognito sends (`CustomEmailSender_<source>` or
 *   `CustomSMSSender_<source>` by the delivery medium), encrypts the code exactly as Cognito does
 *   (harness/custom-sender-cipher.ts: Encryption SDK message, `userpool-id` context; a temporary password
 *   HTML-escaped first) with a raw AES key made for the run instead of KMS, and invokes the sender through
 *   the Lambda API **without waiting** (Cognito invokes senders asynchronously, contract §6): the API call
 *   answers at once, and a sender failure never reaches the caller (it is printed).
 * - **Delivery side** ({@link startMailEndpoint}): the functions' SES v2 `SendEmail` and SNS `Publish` calls
 *   reach a loopback endpoint (`AWS_ENDPOINT_URL_SESV2` / `_SNS`) that puts each message in the inbox, with
 *   the code the pool sent to that address (so `messages.jsonl` lists it, as in the default mode).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptCode, escapeTemporaryPassword } from '../harness/custom-sender-cipher.js';
import { LOCAL_CODE_KEY, type RawAesCodeKey } from '../shared/custom-sender/code-cipher.js';
import { withUnverifiedFlags } from './cognito-events.js';
import { attributeValuesOf } from './cognito-local/custom-message.js';
import type { Attribute, Ctx } from './cognito-local/internals.js';
import type { Inbox } from './inbox.js';
import { readBodyUpTo } from './request-body.js';
import { cognitoRequestContext } from './request-context.js';

/** The largest SendEmail or Publish request read (a 20,000-character email is far below). */
const MAX_REQUEST_BYTES = 1024 * 1024;

/** A raw AES key for one run: the functions get it as `CODE_KEY_RAW_AES`. */
export function localCodeKey(): RawAesCodeKey & { base64: string } {
  const rawAesKey = randomBytes(32);
  return { rawAesKey, ...LOCAL_CODE_KEY, base64: rawAesKey.toString('base64') };
}

/** What the pool sent to one address last, for the inbox line of the message the sender delivers. */
type Pending = { code: string; source: string; userName: string };

/** The codes in flight, by destination. */
export type PendingCodes = {
  note(destination: string, pending: Pending): void;
  take(destination: string): Pending | undefined;
};

/** An empty table of codes in flight. */
export function pendingCodes(): PendingCodes {
  const byDestination = new Map<string, Pending>();
  return {
    note: (destination, pending) => void byDestination.set(destination, pending),
    take(destination) {
      const pending = byDestination.get(destination);
      byDestination.delete(destination);
      return pending;
    },
  };
}

/** Options of {@link senderDelivery}. */
export type SenderDeliveryOptions = {
  region: string;
  key: RawAesCodeKey;
  pending: PendingCodes;
  /** Invokes the sender of `trigger` with `event`; resolves when the invocation ended (never awaited here). */
  invoke(trigger: 'CustomEmailSender' | 'CustomSMSSender', event: unknown): Promise<void>;
};

type DeliveryDetails = { AttributeName: string; DeliveryMedium: string; Destination: string };
type DeliveredUser = { Username: string; UserStatus?: string; Attributes: Attribute[] };

/**
 * cognito-local's `messages.deliver` in sender mode.
 *
 * @example
 * messages.deliver = senderDelivery({ region, key, pending, invoke });
 */
export function senderDelivery(options: SenderDeliveryOptions) {
  return async function deliver(
    _ctx: Ctx,
    source: string,
    clientId: string | null,
    userPoolId: string,
    user: DeliveredUser,
    code: string,
    clientMetadata: Record<string, string> | undefined,
    deliveryDetails: DeliveryDetails,
  ): Promise<void> {
    const trigger = deliveryDetails.DeliveryMedium === 'SMS' ? 'CustomSMSSender' : 'CustomEmailSender';
    const triggerSource = `${trigger}_${source}`;
    // Cognito HTML-escapes < and > in a temporary password before encrypting it (contract §3).
    const secret = source === 'AdminCreateUser' ? escapeTemporaryPassword(code) : code;
    const attributes = attributeValuesOf(user.Attributes);
    const event = {
      version: '1',
      triggerSource,
      region: options.region,
      userPoolId,
      userName: user.Username,
      callerContext: {
        awsSdkVersion: 'aws-sdk-unknown-unknown',
        clientId: clientId ?? 'CLIENT_ID_NOT_APPLICABLE',
      },
      request: {
        type: trigger === 'CustomSMSSender' ? 'customSMSSenderRequestV1' : 'customEmailSenderRequestV1',
        code: await encryptCode(secret, { ...options.key, userPoolId }),
        userAttributes: {
          ...withUnverifiedFlags(attributes),
          'cognito:user_status': user.UserStatus ?? 'UNCONFIRMED',
        },
        clientMetadata: clientMetadata ?? null,
      },
    };
    options.pending.note(deliveryDetails.Destination, {
      code,
      source: triggerSource,
      userName: user.Username,
    });
    // Asynchronous, as Cognito invokes senders: the API call does not wait for the delivery.
    void options.invoke(trigger, event);
  };
}

/** A running mail endpoint. */
export type MailEndpoint = { url: string; close(): Promise<void> };

function answer(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type });
  response.end(body);
}

/** The SNS Publish parameters of a query-protocol or JSON-protocol request. */
function publishOf(request: IncomingMessage, text: string): { phone: string; message: string } | undefined {
  if (String(request.headers['content-type']).includes('json')) {
    const body = JSON.parse(text) as { PhoneNumber?: unknown; Message?: unknown };
    return typeof body.PhoneNumber === 'string' && typeof body.Message === 'string'
      ? { phone: body.PhoneNumber, message: body.Message }
      : undefined;
  }
  const form = new URLSearchParams(text);
  const phone = form.get('PhoneNumber');
  const message = form.get('Message');
  return form.get('Action') === 'Publish' && phone !== null && message !== null
    ? { phone, message }
    : undefined;
}

/**
 * Starts the loopback endpoint the sender functions deliver through: SES v2 `SendEmail` and SNS `Publish`,
 * each message put in `inbox` with the code the pool sent to that address.
 *
 * @example
 * const mail = await startMailEndpoint({ inbox, pending });
 * // the functions' AWS_ENDPOINT_URL_SESV2 and AWS_ENDPOINT_URL_SNS = mail.url
 */
export async function startMailEndpoint(options: {
  inbox: Inbox;
  pending: PendingCodes;
  host?: string;
}): Promise<MailEndpoint> {
  const { inbox, pending } = options;
  const inContext = <T>(source: string, run: () => T): T =>
    cognitoRequestContext.run(
      { operation: 'CustomSender', body: {}, userAgent: undefined, messageSource: source },
      run,
    );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBodyUpTo(request, MAX_REQUEST_BYTES);
    if (body === undefined) return answer(response, 413, 'text/plain', 'Request too large');
    const text = body.toString('utf8');
    const path = new URL(request.url ?? '/', 'http://mail').pathname;
    if (request.method === 'POST' && path === '/v2/email/outbound-emails') {
      const email = JSON.parse(text) as {
        Destination?: { ToAddresses?: string[] };
        Content?: {
          Simple?: {
            Subject?: { Data?: string };
            Body?: { Html?: { Data?: string }; Text?: { Data?: string } };
          };
        };
      };
      const simple = email.Content?.Simple;
      for (const to of email.Destination?.ToAddresses ?? []) {
        const sent = pending.take(to);
        await inContext(sent?.source ?? 'unknown', () =>
          inbox.sendEmail(undefined, { Username: sent?.userName ?? to }, to, {
            __code: sent?.code ?? '',
            emailSubject: simple?.Subject?.Data ?? '',
            emailMessage: simple?.Body?.Html?.Data ?? simple?.Body?.Text?.Data ?? '',
          }),
        );
      }
      return answer(response, 200, 'application/json', JSON.stringify({ MessageId: randomUUID() }));
    }
    const publish = path === '/' && request.method === 'POST' ? publishOf(request, text) : undefined;
    if (publish !== undefined) {
      const sent = pending.take(publish.phone);
      await inContext(sent?.source ?? 'unknown', () =>
        inbox.sendSms(undefined, { Username: sent?.userName ?? publish.phone }, publish.phone, {
          __code: sent?.code ?? '',
          smsMessage: publish.message,
        }),
      );
      const id = randomUUID();
      if (String(request.headers['content-type']).includes('json')) {
        return answer(response, 200, 'application/x-amz-json-1.0', JSON.stringify({ MessageId: id }));
      }
      return answer(
        response,
        200,
        'text/xml',
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    }
    return answer(response, 400, 'text/plain', 'Only SES v2 SendEmail and SNS Publish are served here');
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => answer(response, 500, 'text/plain', 'Mail endpoint failure'));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
