/**
 * What Cognito puts in a custom email or SMS sender trigger's `request.code`, made locally: the base64 of an
 * AWS Encryption SDK message in Cognito's suite (0x0378, `ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384`:
 * non-committing, signed), frame length 4096, with the encryption context `{ "userpool-id": <pool id> }`
 * (docs/custom-senders.md, "Decrypting the code"). For tools and tests only: never imported by a trigger, so never in a bundle. The keys are
 * the ones shared/custom-sender/code-cipher.ts decrypts with: a KMS key (moto, or AWS) or a raw AES key.
 */
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getClient,
  type KeyringNode,
  KMS,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { type CodeKey, USER_POOL_CONTEXT_KEY } from '../shared/custom-sender/code-cipher.js';

/** Options of {@link encryptCode}: the key, and the pool whose id goes into the encryption context. */
export type EncryptCodeOptions = CodeKey & {
  /** The user pool id Cognito names in the encryption context (`userpool-id`). */
  userPoolId: string;
};

// Cognito's frame length (docs/custom-senders.md, "Decrypting the code").
const FRAME_LENGTH = 4096;
// A tool's KMS calls: generous, but never unbounded.
const KMS_TIMEOUT_MS = 10_000;

// Cognito encrypts with a non-committing suite, which only this policy lets the SDK encrypt with.
const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);

/**
 * Encrypts `plaintext` as Cognito does and returns the base64 `request.code`. For a temporary password, give
 * what Cognito would encrypt: {@link escapeTemporaryPassword} of the password.
 *
 * @example
 * const code = await encryptCode('123456', { rawAesKey: randomBytes(32), keyName: 'local', keyNamespace: 'local', userPoolId: 'us-east-1_EXAMPLE' });
 */
export async function encryptCode(plaintext: string, options: EncryptCodeOptions): Promise<string> {
  if (typeof options.userPoolId !== 'string' || options.userPoolId === '') {
    throw new TypeError('userPoolId must be a user pool id');
  }
  const { keyring, close } = keyringFor(options);
  try {
    const { result } = await encrypt(keyring, Buffer.from(plaintext, 'utf8'), {
      encryptionContext: { [USER_POOL_CONTEXT_KEY]: options.userPoolId },
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
      frameLength: FRAME_LENGTH,
    });
    return result.toString('base64');
  } finally {
    close();
  }
}

/**
 * Cognito's HTML escaping of a temporary password before it encrypts it: `<` as `&lt;`, `>` as `&gt;`, and
 * nothing else (the only characters AWS names; see `unescapeTemporaryPassword` in code-cipher.ts).
 *
 * @example
 * escapeTemporaryPassword('a<b>c'); // 'a&lt;b&gt;c'
 */
export function escapeTemporaryPassword(password: string): string {
  return password.replace(/[<>]/g, (character) => (character === '<' ? '&lt;' : '&gt;'));
}

function keyringFor(key: CodeKey): { keyring: KeyringNode; close: () => void } {
  if ('rawAesKey' in key) {
    const keyring = new RawAesKeyringNode({
      keyName: key.keyName,
      keyNamespace: key.keyNamespace,
      // A copy: the keyring zeroes the array it is given, and the caller's key must outlive this call.
      unencryptedMasterKey: new Uint8Array(key.rawAesKey),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    return { keyring, close: () => {} };
  }
  const region = key.region ?? key.keyArn.split(':')[3];
  if (region === undefined || region === '') throw new TypeError('keyArn must be a full KMS key ARN');
  // The aggregated `KMS` class through the SDK's `getClient`: the keyring calls `client.generateDataKey(…)`,
  // which the bare `KMSClient` does not have.
  const client = getClient(KMS, {
    region,
    requestHandler: {
      connectionTimeout: KMS_TIMEOUT_MS,
      requestTimeout: KMS_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...(key.endpoint === undefined ? {} : { endpoint: key.endpoint }),
    ...(key.credentials === undefined ? {} : { credentials: key.credentials }),
  })(region);
  if (client === false) throw new TypeError(`No KMS client for ${region}`);
  const keyring = new KmsKeyringNode({ generatorKeyId: key.keyArn, clientProvider: () => client });
  return { keyring, close: () => client.destroy() };
}
