/**
 * The custom sender code cipher against moto's KMS: codes encrypted as Cognito does (harness/
 * custom-sender-cipher.ts, a KMS keyring over a symmetric key) and decrypted by shared/custom-sender/
 * code-cipher.ts, and its failures when the key, the pool, KMS or the deadline is not what it needs.
 */

import { createServer } from 'node:http';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encryptCode, escapeTemporaryPassword } from '../../harness/custom-sender-cipher.js';
import {
  CodeDecryptError,
  type DecryptCodeOptions,
  decryptCode,
  unescapeTemporaryPassword,
} from '../../shared/custom-sender/code-cipher.js';
import { type HangingServer, startHangingServer } from '../support/hanging-server.js';
import { listenOnLoopback, unusedLoopbackUrl } from '../support/loopback.js';
import {
  describeWithMoto,
  type MotoServer,
  motoCredentialsEnv,
  startMotoServer,
} from '../support/moto-server.js';
import { rejectionOf } from '../support/outcomes.js';

const POOL = 'us-east-1_EXAMPLE';
const REGION = motoCredentialsEnv.AWS_REGION;
const CREDENTIALS = {
  accessKeyId: motoCredentialsEnv.AWS_ACCESS_KEY_ID,
  secretAccessKey: motoCredentialsEnv.AWS_SECRET_ACCESS_KEY,
};
/** Time enough for any call to moto. */
const DEADLINE = 5000;

describeWithMoto('Custom sender: code cipher against KMS (moto)', () => {
  let moto: MotoServer;
  let hanging: HangingServer;
  let kms: KMSClient;

  beforeAll(async () => {
    [moto, hanging] = await Promise.all([startMotoServer(), startHangingServer()]);
    kms = new KMSClient({ endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS });
  });

  afterAll(async () => {
    kms?.destroy();
    await Promise.all([moto?.stop(), hanging?.stop()]);
  });

  /** A new symmetric encryption key in moto; its ARN. */
  async function createKey(): Promise<string> {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'custom sender codes' }));
    if (KeyMetadata?.Arn === undefined) throw new Error('Test: moto returned no key ARN');
    return KeyMetadata.Arn;
  }

  /** What Cognito would put in `request.code`: `plaintext` encrypted under `keyArn` for `userPoolId`. */
  function cognitoCode(plaintext: string, keyArn: string, userPoolId = POOL): Promise<string> {
    return encryptCode(plaintext, { keyArn, endpoint: moto.endpoint, credentials: CREDENTIALS, userPoolId });
  }

  /** decryptCode's options for `keyArn` at moto (or `endpoint`), for this suite's pool. */
  function keyOptions(
    keyArn: string,
    overrides: { endpoint?: string; deadline?: AbortSignal | number } = {},
  ): DecryptCodeOptions {
    return {
      keyArn,
      endpoint: overrides.endpoint ?? moto.endpoint,
      credentials: CREDENTIALS,
      deadline: overrides.deadline ?? DEADLINE,
      expectedUserPoolId: POOL,
    };
  }

  async function decryptError(ciphertext: string, options: DecryptCodeOptions): Promise<CodeDecryptError> {
    const error = await rejectionOf(decryptCode(ciphertext, options));
    if (!(error instanceof CodeDecryptError)) throw error;
    return error;
  }

  it('decrypts a code encrypted under the pool key', async () => {
    // Prepare
    const keyArn = await createKey();
    const ciphertext = await cognitoCode('123456', keyArn);

    // Act
    const code = await decryptCode(ciphertext, keyOptions(keyArn));

    // Assess
    expect(code).toBe('123456');
  });

  it('gives back a temporary password with HTML-reserved characters once unescaped', async () => {
    // Prepare
    const keyArn = await createKey();
    const password = 'Tmp<P@ss>&#1';
    const ciphertext = await cognitoCode(escapeTemporaryPassword(password), keyArn);

    // Act
    const received = unescapeTemporaryPassword(await decryptCode(ciphertext, keyOptions(keyArn)));

    // Assess
    expect(received).toBe(password);
  });

  it("refuses a code when the configured key ARN is not the encrypting key: 'key-mismatch'", async () => {
    // Prepare
    const [encryptingKey, configuredKey] = await Promise.all([createKey(), createKey()]);
    const ciphertext = await cognitoCode('123456', encryptingKey);

    // Act
    const error = await decryptError(ciphertext, keyOptions(configuredKey));

    // Assess
    expect({ reason: error.reason, keyring: error.keyring }).toEqual({
      reason: 'key-mismatch',
      keyring: 'kms',
    });
  });

  it("refuses a code encrypted for another user pool: 'context-mismatch'", async () => {
    // Prepare
    const keyArn = await createKey();
    const ciphertext = await cognitoCode('123456', keyArn, 'us-east-1_OTHERPOOL');

    // Act
    const error = await decryptError(ciphertext, keyOptions(keyArn));

    // Assess
    expect(error.reason).toBe('context-mismatch');
  });

  it.each([
    ['AccessDeniedException', 400, 'kms-denied'],
    ['KMSInvalidStateException', 400, 'kms-denied'],
    ['IncorrectKeyException', 400, 'key-mismatch'],
    ['ThrottlingException', 400, 'kms-unavailable'],
    ['KMSInternalException', 500, 'kms-unavailable'],
  ])(
    "classifies KMS's %s (HTTP %i) as '%s', naming it but never quoting its text",
    async (type, status, reason) => {
      // Prepare
      const keyArn = await createKey();
      const ciphertext = await cognitoCode('123456', keyArn);
      const kmsText = 'KMS-SAYS-SOMETHING-SPECIFIC';
      // moto refuses nothing here (it decrypts under a disabled or deleted key): a server that answers as KMS
      // does when it refuses.
      const refusing = await listenOnLoopback(
        createServer((_request, response) => {
          response.writeHead(status, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-errortype': type,
          });
          response.end(JSON.stringify({ __type: type, message: kmsText }));
        }),
      );

      // Act
      const error = await decryptError(ciphertext, keyOptions(keyArn, { endpoint: refusing.origin })).finally(
        () => refusing.stop(),
      );

      // Assess
      expect({
        reason: error.reason,
        errorName: error.errorName,
        quoted: error.message.includes(kmsText),
      }).toEqual({
        reason,
        errorName: type,
        quoted: false,
      });
    },
  );

  it("fails with 'kms-unavailable' within the deadline when KMS cannot be reached", async () => {
    // Prepare
    const keyArn = await createKey();
    const ciphertext = await cognitoCode('123456', keyArn);
    const closedPort = await unusedLoopbackUrl();
    const started = Date.now();

    // Act
    const error = await decryptError(ciphertext, keyOptions(keyArn, { endpoint: closedPort }));

    // Assess
    expect({ reason: error.reason, errorName: error.errorName }).toEqual({
      reason: 'kms-unavailable',
      errorName: 'ECONNREFUSED',
    });
    expect(Date.now() - started).toBeLessThan(DEADLINE);
  });

  it("gives up with 'timeout' at the deadline when KMS does not answer", async () => {
    // Prepare
    const keyArn = await createKey();
    const ciphertext = await cognitoCode('123456', keyArn);
    const deadlineMs = 300;
    const started = Date.now();

    // Act
    const error = await decryptError(
      ciphertext,
      keyOptions(keyArn, { endpoint: hanging.endpoint, deadline: deadlineMs }),
    );
    const elapsed = Date.now() - started;

    // Assess
    expect(error.reason).toBe('timeout');
    // Well before the KMS client's own request timeout (1.5 s): the deadline, not the client, gave up.
    expect(elapsed).toBeGreaterThanOrEqual(deadlineMs - 5);
    expect(elapsed).toBeLessThan(1200);
  });

  it("gives up with 'timeout' when the caller's signal aborts while KMS does not answer", async () => {
    // Prepare
    const keyArn = await createKey();
    const ciphertext = await cognitoCode('123456', keyArn);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('Deadline', 'TimeoutError')), 200).unref();

    // Act
    const error = await decryptError(
      ciphertext,
      keyOptions(keyArn, { endpoint: hanging.endpoint, deadline: controller.signal }),
    );

    // Assess
    expect(error.reason).toBe('timeout');
  });
});
