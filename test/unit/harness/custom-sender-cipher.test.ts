import { randomBytes } from 'node:crypto';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { describe, expect, it } from 'vitest';
import { encryptCode, escapeTemporaryPassword } from '../../../harness/custom-sender-cipher.js';

const POOL = 'us-east-1_EXAMPLE';
const KEY = { rawAesKey: new Uint8Array(randomBytes(32)), keyName: 'local', keyNamespace: 'harness' };

/** The header of an Encryption SDK message, read with the SDK itself. */
async function headerOf(ciphertext: string) {
  const keyring = new RawAesKeyringNode({
    ...KEY,
    unencryptedMasterKey: new Uint8Array(KEY.rawAesKey),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  return (await decrypt(keyring, Buffer.from(ciphertext, 'base64'))).messageHeader;
}

describe('Harness: encryptCode', () => {
  it("writes Cognito's message: format v1, suite 0x0378, frames of 4096, one data key, the pool in the context", async () => {
    // Prepare
    const plaintext = '123456';

    // Act
    const header = await headerOf(await encryptCode(plaintext, { ...KEY, userPoolId: POOL }));

    // Assess
    expect({
      version: header.version,
      suiteId: header.suiteId,
      frameLength: header.frameLength,
      dataKeys: header.encryptedDataKeys.length,
      contextKeys: Object.keys(header.encryptionContext).sort(),
      pool: header.encryptionContext['userpool-id'],
    }).toEqual({
      version: 1,
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
      frameLength: 4096,
      dataKeys: 1,
      contextKeys: ['aws-crypto-public-key', 'userpool-id'],
      pool: POOL,
    });
  });

  it("leaves the caller's key intact (the SDK's keyring zeroes the array it is given)", async () => {
    // Prepare
    const key = { ...KEY, rawAesKey: new Uint8Array(KEY.rawAesKey) };

    // Act
    await encryptCode('123456', { ...key, userPoolId: POOL });

    // Assess
    expect(key.rawAesKey).toEqual(KEY.rawAesKey);
  });
});

describe('Harness: escapeTemporaryPassword', () => {
  it.each([
    ['a<b>c', 'a&lt;b&gt;c'],
    ['&', '&'],
    ['&lt;', '&lt;'],
    ['P@ss"w0rd\'', 'P@ss"w0rd\''],
  ])('escapes %j as %j', (password, expected) => {
    // Prepare
    // Act
    const escaped = escapeTemporaryPassword(password);

    // Assess
    expect(escaped).toBe(expected);
  });
});
