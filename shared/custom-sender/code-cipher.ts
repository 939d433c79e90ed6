/**
 * Decrypts the code a Cognito custom email or SMS sender trigger receives in `request.code`: the base64 of an
 * AWS Encryption SDK message (format v1, suite 0x0378 `ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384`:
 * non-committing and signed), with one data key encrypted under the pool's KMS key (`LambdaConfig.KMSKeyID`)
 * and the encryption context `{ "userpool-id": <pool id>, "aws-crypto-public-key": … }` (docs/custom-senders.md, "Decrypting the code").
 *
 * The Encryption SDK (`@aws-crypto/client-node`, about 0.9 MB) is loaded on the first decryption, never at
 * module scope: a bundle that imports this module but never decrypts does not evaluate it at cold start.
 * A local pipeline without KMS decrypts with a raw AES key instead ({@link RawAesCodeKey});
 * harness/custom-sender-cipher.ts produces matching ciphertexts.
 */
import type {
  EncryptedDataKey,
  KeyringNode,
  KMS,
  KmsKeyringNodeInput,
  NodeDecryptionMaterial,
  NodeMaterialsManager,
} from '@aws-crypto/client-node';
import { isRegion, triggerClientDefaults } from '../aws-client.js';
import { boundedSignal } from '../deadline.js';
import { SignUpFault } from '../errors.js';
import { OptionsError } from '../options.js';

/** The encryption-context key under which Cognito names the user pool that encrypted the code. */
export const USER_POOL_CONTEXT_KEY = 'userpool-id';

/** The longest budget a decryption may be given: Lambda's longest timeout (15 minutes). */
export const MAX_DEADLINE_MS = 900_000;

// A Cognito code is about 700 base64 characters (one data key, one 6-byte frame): anything near this bound is
// not one, and is refused before it is decoded.
const MAX_CIPHERTEXT_CHARS = 65_536;
// Cognito's frame length is 4096 and its plaintexts are a few bytes; the Encryption SDK buffers no more.
const MAX_BODY_BYTES = 4096;
// Cognito sends exactly one data key (docs/custom-senders.md, "Decrypting the code"); a few more are tolerated, but not the thousands of
// KMS calls a hostile message could otherwise ask for.
const MAX_ENCRYPTED_DATA_KEYS = 5;
// Standard base64 with padding, as Cognito sends it; `Buffer.from(…, 'base64')` would silently skip
// anything else.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// A full KMS key ARN: the Encryption SDK compares the message's key ARN with the configured one literally,
// so an alias or a bare key id never matches (docs/custom-senders.md: "unencryptedDataKey has not been set").
const KMS_KEY_ARN =
  /^arn:aws(?:-[a-z]+)*:kms:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:key\/[A-Za-z0-9-]{1,128}$/;
// The Encryption SDK reserves this provider id for its KMS keyrings.
const KMS_PROVIDER_ID = 'aws-kms';
// What may be reported of an underlying error's name or code: never free text.
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/** Why a code could not be decrypted: a stable, machine-readable value. */
export const CodeDecryptReason = {
  /** Not a base64-encoded Encryption SDK message (or its plaintext is not UTF-8). */
  Malformed: 'malformed',
  /** The header parsed and the data key was found, but the message is cut short or does not authenticate. */
  Tampered: 'tampered',
  /** The message's data key is not encrypted under the configured key. */
  KeyMismatch: 'key-mismatch',
  /** The message's encryption context names another user pool, or none. */
  ContextMismatch: 'context-mismatch',
  /** KMS answered, and refused: permissions, a disabled or pending-deletion key, an unknown key. */
  KmsDenied: 'kms-denied',
  /** KMS could not be reached, throttled, failed, or did not answer within the client's timeouts. */
  KmsUnavailable: 'kms-unavailable',
  /** The caller's deadline passed first. */
  Timeout: 'timeout',
  /** The Encryption SDK (or the KMS client it needs) could not be loaded: a packaging fault. */
  EsdkUnavailable: 'esdk-unavailable',
} as const;

/** One of {@link CodeDecryptReason}'s values. */
export type CodeDecryptReason = (typeof CodeDecryptReason)[keyof typeof CodeDecryptReason];

const SENTENCES: Readonly<Record<CodeDecryptReason, string>> = {
  malformed: 'the code is not a base64-encoded AWS Encryption SDK message',
  tampered: 'the message is cut short or does not authenticate',
  'key-mismatch': 'the message was not encrypted under the configured key',
  'context-mismatch': 'the encryption context names another user pool, or none',
  'kms-denied': 'AWS KMS refused to decrypt the data key',
  'kms-unavailable': 'AWS KMS could not be reached or did not answer',
  timeout: 'the deadline passed before the code was decrypted',
  'esdk-unavailable': 'the AWS Encryption SDK could not be loaded',
};

/** Which kind of key a decryption used. */
export type CodeKeyringKind = 'kms' | 'raw-aes';

/**
 * A code could not be decrypted. A fault, never a decision about the user. The message holds the reason and,
 * for a KMS failure, the name of KMS's error (`AccessDeniedException`, `ECONNREFUSED`), never its text; it
 * never holds the ciphertext (nor the message id, which the Encryption SDK's own messages quote) and no
 * plaintext exists on failure. For the same reason the Encryption SDK's and KMS's errors are not kept as
 * `cause`: only a failure to load the SDK keeps its cause.
 */
export class CodeDecryptError extends SignUpFault {
  /** Why, as a stable value; the part after `not decrypted:` in `message`. */
  public readonly reason: CodeDecryptReason;
  /** The kind of key configured. */
  public readonly keyring: CodeKeyringKind;
  /** The name or code of the underlying KMS or load error, when there was one; never its message. */
  public readonly errorName: string | undefined;

  public constructor(
    reason: CodeDecryptReason,
    details: { keyring: CodeKeyringKind; errorName?: string | undefined },
    options?: ErrorOptions,
  ) {
    const errorName =
      details.errorName !== undefined && ERROR_NAME.test(details.errorName) ? details.errorName : undefined;
    super(
      `Custom sender code not decrypted: ${reason}: ${SENTENCES[reason]}${errorName === undefined ? '' : ` (${errorName})`}`,
      options,
    );
    this.name = 'CodeDecryptError';
    this.reason = reason;
    this.keyring = details.keyring;
    this.errorName = errorName;
  }
}

/** Fixed credentials, for a local KMS (moto) only: the Lambda role's credentials otherwise. */
export type StaticCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** The KMS key the user pool encrypts codes with (its `LambdaConfig.KMSKeyID`). */
export type KmsCodeKey = {
  /** The key's full ARN (`arn:aws:kms:<region>:<account>:key/<id>`): an alias ARN or a bare key id never matches. */
  keyArn: string;
  /** The KMS client's Region; default: the key ARN's. */
  region?: string;
  /** Another KMS endpoint (a local server such as moto). */
  endpoint?: string;
  /** Fixed credentials, for a local endpoint only. */
  credentials?: StaticCredentials;
};

/** The raw AES key's name and namespace: the local pipeline and the replay harness encrypt with the same. */
export const LOCAL_CODE_KEY = { keyName: 'local-code-key', keyNamespace: 'cognito-sign-up-local' } as const;

/** A raw AES-256 key, for a local pipeline without KMS (harness/custom-sender-cipher.ts encrypts with it). */
export type RawAesCodeKey = {
  /** 32 bytes. Copied when the decryptor is created. */
  rawAesKey: Uint8Array;
  /** The key's name, as the encrypting side gave it. */
  keyName: string;
  /** The key's namespace (its provider id), as the encrypting side gave it; never `aws-kms…`. */
  keyNamespace: string;
};

/** The key a code is decrypted with: Cognito's KMS key, or a raw AES key for local use. */
export type CodeKey = KmsCodeKey | RawAesCodeKey;

/** Per-code options of a decryption. */
export type CodeDecryptOptions = {
  /**
   * When to give up: an `AbortSignal` (aborted at the deadline; never more than {@link MAX_DEADLINE_MS}), or a
   * budget in milliseconds from now (at most {@link MAX_DEADLINE_MS}: an epoch time is refused; 0 or less is
   * already past). Bounds the whole decryption, the SDK's first load and every KMS call included.
   */
  deadline: AbortSignal | number;
  /**
   * The event's `userPoolId`: a message whose `userpool-id` encryption context differs (or is missing) is
   * refused before KMS is called. Always pass it in a trigger; the check is skipped only without it.
   */
  expectedUserPoolId?: string;
};

/** Options of {@link decryptCode}: the key and the per-code options. */
export type DecryptCodeOptions = CodeKey & CodeDecryptOptions;

/** Decrypts one code with the key its {@link createCodeDecryptor} was given. */
export type CodeDecryptor = (ciphertextBase64: string, options: CodeDecryptOptions) => Promise<string>;

/**
 * A decryptor for `key`, checked now (at cold start) rather than per code. Each call decrypts one code
 * within its deadline and resolves with the plaintext, or rejects with a {@link CodeDecryptError}.
 *
 * @throws {OptionsError} naming the key option at fault.
 *
 * @example
 * const decrypt = createCodeDecryptor({ keyArn: process.env.KMS_KEY_ARN ?? '' });
 * const code = await decrypt(event.request.code, { deadline: 3000, expectedUserPoolId: event.userPoolId });
 */
export function createCodeDecryptor(key: CodeKey): CodeDecryptor {
  const checked = checkCodeKey(key);
  return function decryptCodeWithKey(ciphertextBase64, options) {
    return decryptWith(checked, ciphertextBase64, options);
  };
}

/**
 * Decrypts a custom sender trigger's `request.code` and resolves with the plaintext code (or temporary
 * password: see {@link unescapeTemporaryPassword}). Checks the key on every call; a trigger builds its
 * decryptor once with {@link createCodeDecryptor}.
 *
 * @throws {CodeDecryptError} when the code cannot be decrypted, with a stable `reason`.
 * @throws {OptionsError} for a key or deadline that cannot be used.
 *
 * @example
 * const code = await decryptCode(event.request.code, {
 *   keyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 *   deadline: context.getRemainingTimeInMillis() - 500,
 *   expectedUserPoolId: event.userPoolId,
 * });
 */
export async function decryptCode(ciphertextBase64: string, options: DecryptCodeOptions): Promise<string> {
  return decryptWith(checkCodeKey(options), ciphertextBase64, options);
}

/**
 * Undoes Cognito's HTML escaping of a temporary password: `&lt;` becomes `<` and `&gt;` becomes `>`, in one
 * pass. AWS: "Amazon Cognito HTML-escapes reserved characters like `<` (`&lt;`) and `>` (`&gt;`) in your user's
 * temporary password … your Lambda function must unescape these characters after it decrypts the password"
 * (custom sender triggers guide; docs/custom-senders.md). Only for the `*_AdminCreateUser` sources: verification codes
 * are never escaped. `&amp;` is left as it is: no source says Cognito escapes `&`, and unescaping it would
 * change a password that really contains `&amp;` (an administrator may set any temporary password). A
 * password that really contains `&lt;` or `&gt;` cannot be told apart from an escaped one; it comes back as
 * `<` or `>`.
 *
 * @example
 * unescapeTemporaryPassword('a&lt;b&gt;c'); // 'a<b>c'
 */
export function unescapeTemporaryPassword(text: string): string {
  return text.replace(/&(lt|gt);/g, (_, entity: string) => (entity === 'lt' ? '<' : '>'));
}

type CheckedKey =
  | {
      keyring: 'kms';
      keyArn: string;
      region: string;
      endpoint: string | undefined;
      credentials: StaticCredentials | undefined;
    }
  | { keyring: 'raw-aes'; rawAesKey: Uint8Array; keyName: string; keyNamespace: string };

function checkCodeKey(key: CodeKey): CheckedKey {
  if (typeof key !== 'object' || key === null)
    throw new OptionsError('key', 'a KMS key ARN or a raw AES key');
  if ('keyArn' in key) {
    const arn = typeof key.keyArn === 'string' ? KMS_KEY_ARN.exec(key.keyArn) : null;
    if (arn === null) {
      throw new OptionsError(
        'keyArn',
        'a full KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias',
      );
    }
    if (key.region !== undefined && !isRegion(key.region)) {
      throw new OptionsError('region', 'an AWS Region such as us-east-1');
    }
    if (
      key.endpoint !== undefined &&
      (typeof key.endpoint !== 'string' || !/^https?:\/\/[^\s/]+/.test(key.endpoint))
    ) {
      throw new OptionsError('endpoint', 'an http(s) URL');
    }
    return {
      keyring: 'kms',
      keyArn: key.keyArn,
      region: key.region ?? (arn[1] as string),
      endpoint: key.endpoint,
      credentials: key.credentials,
    };
  }
  if ('rawAesKey' in key) {
    if (!(key.rawAesKey instanceof Uint8Array) || key.rawAesKey.length !== 32) {
      throw new OptionsError('rawAesKey', 'a 32-byte (AES-256) key');
    }
    if (typeof key.keyName !== 'string' || key.keyName === '') {
      throw new OptionsError('keyName', 'a non-empty string');
    }
    if (
      typeof key.keyNamespace !== 'string' ||
      key.keyNamespace === '' ||
      key.keyNamespace.startsWith(KMS_PROVIDER_ID)
    ) {
      throw new OptionsError('keyNamespace', `a non-empty string not starting with ${KMS_PROVIDER_ID}`);
    }
    return {
      keyring: 'raw-aes',
      rawAesKey: new Uint8Array(key.rawAesKey),
      keyName: key.keyName,
      keyNamespace: key.keyNamespace,
    };
  }
  throw new OptionsError('key', 'a KMS key ARN (keyArn) or a raw AES key (rawAesKey, keyName, keyNamespace)');
}

/** The per-call signal: the caller's deadline, and never longer than {@link MAX_DEADLINE_MS}. */
function deadlineSignal(deadline: AbortSignal | number) {
  if (typeof deadline === 'number') {
    if (!Number.isFinite(deadline) || deadline > MAX_DEADLINE_MS) {
      throw new OptionsError(
        'deadline',
        `a budget in milliseconds of at most ${MAX_DEADLINE_MS} (not an epoch time)`,
      );
    }
    // A budget already spent is a signal already aborted: the decryption never starts.
    const spent =
      deadline <= 0 ? AbortSignal.abort(new DOMException('No time left', 'TimeoutError')) : undefined;
    return boundedSignal(spent, Math.max(0, Math.ceil(deadline)));
  }
  if (!(deadline instanceof AbortSignal)) {
    throw new OptionsError('deadline', 'an AbortSignal or a budget in milliseconds');
  }
  return boundedSignal(deadline, MAX_DEADLINE_MS);
}

/** How far one decryption got: what a failure means depends on it. */
type Stage = 'load' | 'header' | 'materials' | 'unwrap' | 'body' | 'plaintext';

/** What one decryption saw, for {@link classify}. */
type Attempt = {
  stage: Stage;
  /** A refusal decided here (the context check), not by the Encryption SDK. */
  refusal?: CodeDecryptReason;
  /** The last error a KMS call raised. */
  kmsError?: unknown;
};

async function decryptWith(
  key: CheckedKey,
  ciphertextBase64: unknown,
  options: CodeDecryptOptions,
): Promise<string> {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError('options', 'an object with a deadline');
  }
  const expected = options.expectedUserPoolId;
  if (expected !== undefined && (typeof expected !== 'string' || expected === '')) {
    throw new OptionsError('expectedUserPoolId', 'a user pool id');
  }
  const bounded = deadlineSignal(options.deadline);
  const attempt: Attempt = { stage: 'load' };
  try {
    if (bounded.signal.aborted)
      throw new CodeDecryptError(CodeDecryptReason.Timeout, { keyring: key.keyring });
    const bytes = bytesOf(ciphertextBase64, key.keyring);
    const work = decryptBytes(key, bytes, expected, bounded.signal, attempt);
    return await Promise.race([work, rejectOnAbort(bounded.signal)]);
  } catch (error) {
    throw classify(error, attempt, bounded.signal, key.keyring);
  } finally {
    bounded.clear();
  }
}

function bytesOf(ciphertextBase64: unknown, keyring: CodeKeyringKind): Buffer {
  if (
    typeof ciphertextBase64 !== 'string' ||
    ciphertextBase64 === '' ||
    ciphertextBase64.length > MAX_CIPHERTEXT_CHARS ||
    !BASE64.test(ciphertextBase64)
  ) {
    throw new CodeDecryptError(CodeDecryptReason.Malformed, { keyring });
  }
  return Buffer.from(ciphertextBase64, 'base64');
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

async function decryptBytes(
  key: CheckedKey,
  bytes: Buffer,
  expectedUserPoolId: string | undefined,
  signal: AbortSignal,
  attempt: Attempt,
): Promise<string> {
  const sdk = await loadEncryptionSdk();
  attempt.stage = 'header';
  const keyring = new sdk.StageKeyring(keyringFor(sdk, key, signal, attempt), attempt);
  const inner = new sdk.esdk.NodeDefaultCryptographicMaterialsManager(keyring);
  const materials: NodeMaterialsManager = {
    getEncryptionMaterials() {
      return Promise.reject(new Error('A code decryptor never encrypts'));
    },
    async decryptMaterials(request) {
      attempt.stage = 'materials';
      // Checked before any KMS call. The context read here is the header's, not yet authenticated; it is
      // authenticated (header auth tag, then the signature) before the decryption can succeed.
      if (
        expectedUserPoolId !== undefined &&
        request.encryptionContext[USER_POOL_CONTEXT_KEY] !== expectedUserPoolId
      ) {
        attempt.refusal = CodeDecryptReason.ContextMismatch;
        throw new Error('context mismatch');
      }
      const material = await inner.decryptMaterials(request);
      attempt.stage = 'body';
      return material;
    },
  };
  const { plaintext } = await sdk.decrypt(materials, bytes, { maxBodySize: MAX_BODY_BYTES });
  attempt.stage = 'plaintext';
  try {
    return UTF8.decode(plaintext);
  } finally {
    plaintext.fill(0);
  }
}

function keyringFor(sdk: EncryptionSdk, key: CheckedKey, signal: AbortSignal, attempt: Attempt): KeyringNode {
  const { esdk } = sdk;
  if (key.keyring === 'raw-aes') {
    return new esdk.RawAesKeyringNode({
      keyName: key.keyName,
      keyNamespace: key.keyNamespace,
      // A copy each time: the keyring zeroes the array it is given as soon as it is built.
      unencryptedMasterKey: new Uint8Array(key.rawAesKey),
      wrappingSuite: esdk.RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
  }
  return new esdk.KmsKeyringNode({
    generatorKeyId: key.keyArn,
    keyIds: [key.keyArn],
    // The SDK asks for a client per Region named by the message's key ARN; only the configured ARN is ever
    // used, so the configured Region (default: the ARN's) is the one.
    clientProvider: () => boundKmsClient(kmsClient(sdk, key), signal, attempt),
  });
}

// One KMS client per Region, endpoint and credentials for the life of the execution environment, so warm
// invocations reuse its connections.
const kmsClients = new Map<string, KMS>();

function kmsClient(sdk: EncryptionSdk, key: Extract<CheckedKey, { keyring: 'kms' }>): KMS {
  const id = `${key.region} ${key.endpoint ?? ''} ${key.credentials?.accessKeyId ?? ''}`;
  const cached = kmsClients.get(id);
  if (cached !== undefined) return cached;
  // Built with the aggregated `KMS` class through the SDK's `getClient`: the keyring calls
  // `client.decrypt(…)`, which the bare `KMSClient` (`send` only) does not have.
  const client = sdk.esdk.getClient(sdk.esdk.KMS, {
    region: key.region,
    maxAttempts: triggerClientDefaults.maxAttempts,
    requestHandler: {
      connectionTimeout: triggerClientDefaults.connectionTimeoutMs,
      requestTimeout: triggerClientDefaults.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(key.endpoint === undefined ? {} : { endpoint: key.endpoint }),
    ...(key.credentials === undefined ? {} : { credentials: key.credentials }),
  })(key.region);
  if (client === false) throw new Error('No KMS client for the Region');
  kmsClients.set(id, client);
  return client;
}

/** What a KMS keyring calls: `decrypt`, `encrypt` and `generateDataKey` of the aggregated `KMS` class. */
type EsdkKmsClient = Exclude<ReturnType<NonNullable<KmsKeyringNodeInput['clientProvider']>>, false>;

/** The client the keyring sees for one decryption: each call bounded by its signal, each failure recorded. */
function boundKmsClient(kms: KMS, signal: AbortSignal, attempt: Attempt): EsdkKmsClient {
  const refuse = () => Promise.reject(new Error('A code decryptor only decrypts'));
  return {
    async decrypt(request) {
      try {
        return await kms.decrypt(request, { abortSignal: signal });
      } catch (error) {
        attempt.kmsError = error;
        throw error;
      }
    },
    encrypt: refuse,
    generateDataKey: refuse,
  };
}

// KMS's answers that mean the data key is not for this key (or was damaged).
const KEY_MISMATCH_ERRORS = new Set(['IncorrectKeyException', 'InvalidCiphertextException']);
// 4xx answers that are about load, not about the request.
const RETRYABLE_CLIENT_ERRORS = new Set([
  'ThrottlingException',
  'LimitExceededException',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
]);

function errorNameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  // A socket error is a plain `Error` with a code (`ECONNREFUSED`): the code says more.
  if (name === 'Error' && typeof code === 'string') return code;
  return typeof name === 'string' ? name : undefined;
}

function kmsReason(error: unknown): CodeDecryptReason {
  const name = errorNameOf(error) ?? '';
  if (KEY_MISMATCH_ERRORS.has(name)) return CodeDecryptReason.KeyMismatch;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && !RETRYABLE_CLIENT_ERRORS.has(name)) {
    return CodeDecryptReason.KmsDenied;
  }
  return CodeDecryptReason.KmsUnavailable;
}

const REASON_AT_STAGE: Readonly<Record<Stage, CodeDecryptReason>> = {
  load: CodeDecryptReason.EsdkUnavailable,
  // The header did not parse (or names a suite, a version or a key count this decryptor refuses).
  header: CodeDecryptReason.Malformed,
  // The header parsed, but the signing key in its encryption context did not.
  materials: CodeDecryptReason.Malformed,
  // No data key could be unwrapped with the configured key, and KMS raised nothing.
  unwrap: CodeDecryptReason.KeyMismatch,
  // The data key was found: the header auth tag, a frame or the signature failed, or the message ends early.
  body: CodeDecryptReason.Tampered,
  plaintext: CodeDecryptReason.Malformed,
};

/** The one error a failed decryption raises: decided by how far it got, never by the SDK's message text. */
function classify(
  error: unknown,
  attempt: Attempt,
  signal: AbortSignal,
  keyring: CodeKeyringKind,
): CodeDecryptError {
  if (error instanceof CodeDecryptError) return error;
  if (signal.aborted) return new CodeDecryptError(CodeDecryptReason.Timeout, { keyring });
  if (attempt.refusal !== undefined) return new CodeDecryptError(attempt.refusal, { keyring });
  if (attempt.kmsError !== undefined) {
    return new CodeDecryptError(kmsReason(attempt.kmsError), {
      keyring,
      errorName: errorNameOf(attempt.kmsError),
    });
  }
  if (attempt.stage === 'load') {
    // A module-resolution error names modules and paths only, so it is kept.
    return new CodeDecryptError(
      CodeDecryptReason.EsdkUnavailable,
      { keyring, errorName: errorNameOf(error) },
      { cause: error },
    );
  }
  return new CodeDecryptError(REASON_AT_STAGE[attempt.stage], { keyring });
}

type Esdk = typeof import('@aws-crypto/client-node');

/** The loaded Encryption SDK, its decrypt function, and the keyring that records how far a decryption got. */
type EncryptionSdk = {
  esdk: Esdk;
  decrypt: ReturnType<Esdk['buildClient']>['decrypt'];
  StageKeyring: new (inner: KeyringNode, attempt: Attempt) => KeyringNode;
};

let encryptionSdk: Promise<EncryptionSdk> | undefined;

/**
 * Loads the Encryption SDK on first use and keeps it; a failed load is retried by the next call. A dynamic
 * `import()`: esbuild still bundles the SDK, but evaluates it only here.
 */
function loadEncryptionSdk(): Promise<EncryptionSdk> {
  encryptionSdk ??= import('@aws-crypto/client-node').then(prepare, (error: unknown) => {
    encryptionSdk = undefined;
    throw error;
  });
  return encryptionSdk;
}

function prepare(esdk: Esdk): EncryptionSdk {
  // Cognito's messages use a non-committing suite (0x0378): the SDK's default policy,
  // REQUIRE_ENCRYPT_REQUIRE_DECRYPT, refuses them before any KMS call (docs/custom-senders.md, "Decrypting the code").
  const { decrypt } = esdk.buildClient({
    commitmentPolicy: esdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    maxEncryptedDataKeys: MAX_ENCRYPTED_DATA_KEYS,
  });

  /** Delegates to the configured keyring, marking that the signing key parsed and unwrapping began. */
  class StageKeyring extends esdk.KeyringNode {
    readonly #inner: KeyringNode;
    readonly #attempt: Attempt;

    public constructor(inner: KeyringNode, attempt: Attempt) {
      super();
      this.#inner = inner;
      this.#attempt = attempt;
    }

    public override _onEncrypt(): never {
      throw new Error('A code decryptor never encrypts');
    }

    public override _onDecrypt(
      material: NodeDecryptionMaterial,
      encryptedDataKeys: EncryptedDataKey[],
    ): Promise<NodeDecryptionMaterial> {
      this.#attempt.stage = 'unwrap';
      return this.#inner.onDecrypt(material, encryptedDataKeys);
    }
  }

  return { esdk, decrypt, StageKeyring };
}
