import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encryptCode, escapeTemporaryPassword } from '../../../../harness/custom-sender-cipher.js';
import {
  CodeDecryptError,
  type CodeDecryptReason,
  createCodeDecryptor,
  decryptCode,
  type RawAesCodeKey,
  unescapeTemporaryPassword,
} from '../../../../shared/custom-sender/code-cipher.js';
import { SignUpFault } from '../../../../shared/errors.js';
import { OptionsError } from '../../../../shared/options.js';
import { rejectionOf } from '../../../support/outcomes.js';

const POOL = 'us-east-1_EXAMPLE';
const OTHER_POOL = 'us-east-1_OTHERPOOL';
const KEY: RawAesCodeKey = {
  rawAesKey: new Uint8Array(randomBytes(32)),
  keyName: 'custom-sender-local',
  keyNamespace: 'cognito-sign-up-triggers',
};
/** Time enough for any local decryption. */
const DEADLINE = 5000;

/** What Cognito would put in `request.code` for `plaintext`, for this suite's pool unless told. */
function cognitoCode(plaintext: string, userPoolId = POOL): Promise<string> {
  return encryptCode(plaintext, { ...KEY, userPoolId });
}

/** decryptCode with this suite's key, for this suite's pool. */
function decrypt(ciphertext: string, deadline: AbortSignal | number = DEADLINE): Promise<string> {
  return decryptCode(ciphertext, { ...KEY, deadline, expectedUserPoolId: POOL });
}

/** The CodeDecryptError decrypt rejects with; the test fails on success or on any other error. */
async function decryptError(ciphertext: string): Promise<CodeDecryptError> {
  const error = await rejectionOf(decrypt(ciphertext));
  if (!(error instanceof CodeDecryptError)) throw error;
  return error;
}

function flipBit(ciphertext: string, bit: number): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return bytes.toString('base64');
}

function truncate(ciphertext: string, length: number): string {
  return Buffer.from(ciphertext, 'base64').subarray(0, length).toString('base64');
}

/** Every form in which an error reaches a log or a caller. */
function renderings(error: CodeDecryptError): string[] {
  return [error.message, String(error), JSON.stringify(error), error.stack ?? ''];
}

/** What must never appear: the plaintext, the ciphertext (whole or any 16-character run), the message id. */
function secretsOf(plaintext: string, ciphertext: string): string[] {
  const runs: string[] = [];
  for (let start = 0; start + 16 <= ciphertext.length; start += 8)
    runs.push(ciphertext.slice(start, start + 16));
  // Message format v1: version (1 byte), type (1), suite (2), then the 16-byte message id, which the
  // Encryption SDK's own error messages quote in hex.
  const messageId = Buffer.from(ciphertext, 'base64').subarray(4, 20).toString('hex');
  // A message cut before its id has none to show.
  return [plaintext, ciphertext, ...(messageId.length === 32 ? [messageId] : []), ...runs];
}

// Codes as an end user may receive them: digits, Cognito's temporary-password symbols, HTML-reserved
// characters, URL and fragment characters, and any Unicode.
const printableCode = fc.oneof(
  fc.stringMatching(/^\d{6}$/),
  fc.string({
    unit: fc.constantFrom(
      ...'aZ09<>&%#;"\'!@$^*()[]{}?/\\,.:|_~`=+- '.split(''),
      'é',
      'ß',
      '中',
      '🔑',
      '&lt;',
    ),
    minLength: 1,
    maxLength: 40,
  }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
);

// Long enough that it cannot appear in an error's fixed text by chance.
const secretCode = fc.string({ unit: 'grapheme', minLength: 12, maxLength: 40 });

/** Damaged Cognito messages and the reasons each may be refused for. */
const damageReasons: readonly CodeDecryptReason[] = [
  'malformed',
  'tampered',
  'key-mismatch',
  'context-mismatch',
];

describe('Custom sender: decryptCode with a raw AES key', () => {
  it('decrypts a verification code Cognito would send', async () => {
    // Prepare
    const ciphertext = await cognitoCode('123456');

    // Act
    const code = await decrypt(ciphertext);

    // Assess
    expect(code).toBe('123456');
  });

  it('round-trips any printable code, HTML-reserved characters and Unicode included', async () => {
    // Prepare
    const encrypted = (plaintext: string) => cognitoCode(plaintext);

    // Act
    const property = fc.asyncProperty(
      printableCode,
      async (plaintext) => (await decrypt(await encrypted(plaintext))) === plaintext,
    );

    // Assess
    await expect(fc.assert(property, { numRuns: 60 })).resolves.toBeUndefined();
  });

  it("gives back any temporary password once Cognito's escaping is undone", async () => {
    // Prepare
    // A password that really contains an entity cannot survive the escaping (unescapeTemporaryPassword says why).
    const password = printableCode.filter((text) => !/&(?:lt|gt);/.test(text));
    const sentByCognito = (plaintext: string) => cognitoCode(escapeTemporaryPassword(plaintext));

    // Act
    const property = fc.asyncProperty(
      password,
      async (plaintext) =>
        unescapeTemporaryPassword(await decrypt(await sentByCognito(plaintext))) === plaintext,
    );

    // Assess
    await expect(fc.assert(property, { numRuns: 60 })).resolves.toBeUndefined();
  });

  it('decrypts several codes with one decryptor built once', async () => {
    // Prepare
    const decryptor = createCodeDecryptor(KEY);
    const first = await cognitoCode('111111');
    const second = await cognitoCode('a<b>&c');

    // Act
    const codes = [
      await decryptor(first, { deadline: DEADLINE, expectedUserPoolId: POOL }),
      await decryptor(second, { deadline: DEADLINE, expectedUserPoolId: POOL }),
    ];

    // Assess
    expect(codes).toEqual(['111111', 'a<b>&c']);
  });

  it('decrypts before the deadline given as an AbortSignal', async () => {
    // Prepare
    const ciphertext = await cognitoCode('654321');
    const signal = AbortSignal.timeout(DEADLINE);

    // Act
    const code = await decrypt(ciphertext, signal);

    // Assess
    expect(code).toBe('654321');
  });

  it("refuses a code encrypted for another user pool with reason 'context-mismatch'", async () => {
    // Prepare
    const ciphertext = await cognitoCode('123456', OTHER_POOL);

    // Act
    const error = await decryptError(ciphertext);

    // Assess
    expect({ reason: error.reason, keyring: error.keyring }).toEqual({
      reason: 'context-mismatch',
      keyring: 'raw-aes',
    });
  });

  it('checks no pool when the caller names none', async () => {
    // Prepare
    const ciphertext = await cognitoCode('123456', OTHER_POOL);

    // Act
    const code = await decryptCode(ciphertext, { ...KEY, deadline: DEADLINE });

    // Assess
    expect(code).toBe('123456');
  });

  it.each([
    ['another key of the same name', { ...KEY, rawAesKey: new Uint8Array(randomBytes(32)) }],
    ['another key name', { ...KEY, keyName: 'another-key' }],
    ['another key namespace', { ...KEY, keyNamespace: 'another-namespace' }],
  ])("refuses a code encrypted under %s with reason 'key-mismatch'", async (_case, otherKey) => {
    // Prepare
    const ciphertext = await encryptCode('123456', { ...otherKey, userPoolId: POOL });

    // Act
    const error = await decryptError(ciphertext);

    // Assess
    expect(error.reason).toBe('key-mismatch');
  });

  it.each([
    ['an empty code', ''],
    ['text that is not base64', 'not base64!'],
    ['base64 without its padding', 'AQID'.repeat(10).slice(0, 39)],
    ['URL-safe base64', '-_-_'],
    ['base64 of something else', Buffer.from('{"code":"123456"}').toString('base64')],
    ['a code far longer than any Cognito sends', 'A'.repeat(100_000)],
  ])("refuses %s with reason 'malformed'", async (_case, ciphertext) => {
    // Prepare
    // Act
    const error = await decryptError(ciphertext);

    // Assess
    expect(error.reason).toBe('malformed');
  });

  it("refuses a value that is not a string with reason 'malformed'", async () => {
    // Prepare
    const notAString = null as unknown as string;

    // Act
    const error = await decryptError(notAString);

    // Assess
    expect(error.reason).toBe('malformed');
  });

  it("refuses a message cut inside its header with reason 'malformed'", async () => {
    // Prepare
    const ciphertext = truncate(await cognitoCode('123456'), 40);

    // Act
    const error = await decryptError(ciphertext);

    // Assess
    expect(error.reason).toBe('malformed');
  });

  it("refuses a message missing its last byte with reason 'tampered'", async () => {
    // Prepare
    const whole = await cognitoCode('123456');
    const ciphertext = truncate(whole, Buffer.from(whole, 'base64').length - 1);

    // Act
    const error = await decryptError(ciphertext);

    // Assess
    expect(error.reason).toBe('tampered');
  });

  it("refuses a message with a bit flipped in its signature with reason 'tampered'", async () => {
    // Prepare
    const whole = await cognitoCode('123456');
    const ciphertext = flipBit(whole, Buffer.from(whole, 'base64').length * 8 - 3);

    // Act
    const error = await decryptError(ciphertext);

    // Assess
    expect(error.reason).toBe('tampered');
  });

  it('refuses any truncation or single flipped bit with a CodeDecryptError, never another error', async () => {
    // Prepare
    const whole = await cognitoCode('123456');
    const bytes = Buffer.from(whole, 'base64').length;
    const damaged = fc.oneof(
      fc.integer({ min: 0, max: bytes * 8 - 1 }).map((bit) => flipBit(whole, bit)),
      fc.integer({ min: 1, max: bytes - 1 }).map((length) => truncate(whole, length)),
    );

    // Act
    const property = fc.asyncProperty(damaged, async (ciphertext) => {
      const error = await rejectionOf(decrypt(ciphertext));
      return error instanceof CodeDecryptError && damageReasons.includes(error.reason);
    });

    // Assess
    await expect(fc.assert(property, { numRuns: 200 })).resolves.toBeUndefined();
  });

  it("refuses any bytes that are not an Encryption SDK message with reason 'malformed'", async () => {
    // Prepare
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 600 });

    // Act
    const property = fc.asyncProperty(bytes, async (value) => {
      const error = await rejectionOf(decrypt(Buffer.from(value).toString('base64')));
      return error instanceof CodeDecryptError && error.reason === 'malformed';
    });

    // Assess
    await expect(fc.assert(property, { numRuns: 200 })).resolves.toBeUndefined();
  });

  it('never puts the plaintext, the ciphertext or the message id in what the error shows', async () => {
    // Prepare
    const failure = fc.constantFrom('flip', 'truncate', 'other-pool', 'other-key');

    // Act
    const property = fc.asyncProperty(secretCode, failure, fc.nat(), async (plaintext, how, at) => {
      const whole = await cognitoCode(plaintext, how === 'other-pool' ? OTHER_POOL : POOL);
      const bytes = Buffer.from(whole, 'base64').length;
      const ciphertext =
        how === 'flip'
          ? flipBit(whole, at % (bytes * 8))
          : how === 'truncate'
            ? truncate(whole, 1 + (at % (bytes - 1)))
            : whole;
      const options =
        how === 'other-key'
          ? {
              ...KEY,
              rawAesKey: new Uint8Array(randomBytes(32)),
              deadline: DEADLINE,
              expectedUserPoolId: POOL,
            }
          : { ...KEY, deadline: DEADLINE, expectedUserPoolId: POOL };
      const error = await rejectionOf(decryptCode(ciphertext, options));
      if (!(error instanceof CodeDecryptError) || error.cause !== undefined) return false;
      const secrets = [...secretsOf(plaintext, whole), ...secretsOf(plaintext, ciphertext)];
      return renderings(error).every((text) => secrets.every((secret) => !text.includes(secret)));
    });

    // Assess
    await expect(fc.assert(property, { numRuns: 100 })).resolves.toBeUndefined();
  });

  it("gives up with reason 'timeout' when the budget is already spent", async () => {
    // Prepare
    const ciphertext = await cognitoCode('123456');

    // Act
    const error = await rejectionOf(decrypt(ciphertext, 0));

    // Assess
    expect(error).toBeInstanceOf(CodeDecryptError);
    expect((error as CodeDecryptError).reason).toBe('timeout');
  });

  it("gives up with reason 'timeout' when the caller's signal has aborted", async () => {
    // Prepare
    const ciphertext = await cognitoCode('123456');
    const signal = AbortSignal.abort(new DOMException('Deadline', 'TimeoutError'));

    // Act
    const error = await rejectionOf(decrypt(ciphertext, signal));

    // Assess
    expect(error).toBeInstanceOf(CodeDecryptError);
    expect((error as CodeDecryptError).reason).toBe('timeout');
  });
});

describe('Custom sender: CodeDecryptError', () => {
  it('is a fault whose message starts with the reason and says what it means', () => {
    // Prepare
    // Act
    const error = new CodeDecryptError('kms-denied', { keyring: 'kms', errorName: 'AccessDeniedException' });

    // Assess
    expect(error).toBeInstanceOf(SignUpFault);
    expect({
      name: error.name,
      reason: error.reason,
      errorName: error.errorName,
      message: error.message,
    }).toEqual({
      name: 'CodeDecryptError',
      reason: 'kms-denied',
      errorName: 'AccessDeniedException',
      message:
        'Custom sender code not decrypted: kms-denied: AWS KMS refused to decrypt the data key (AccessDeniedException)',
    });
  });

  it('drops an error name that is free text rather than a name', () => {
    // Prepare
    const text = 'Invalid ciphertext AQIDBAUGBwg=';

    // Act
    const error = new CodeDecryptError('kms-unavailable', { keyring: 'kms', errorName: text });

    // Assess
    expect({ errorName: error.errorName, quoted: error.message.includes('AQID') }).toEqual({
      errorName: undefined,
      quoted: false,
    });
  });
});

describe('Custom sender: decryptCode options', () => {
  it.each([
    ['an alias ARN', { keyArn: 'arn:aws:kms:us-east-1:123456789012:alias/cognito' }, 'keyArn'],
    ['a bare key id', { keyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }, 'keyArn'],
    [
      'a malformed Region',
      {
        keyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        region: 'east',
      },
      'region',
    ],
    ['a 128-bit raw key', { ...KEY, rawAesKey: new Uint8Array(16) }, 'rawAesKey'],
    ['an empty key name', { ...KEY, keyName: '' }, 'keyName'],
    ['the KMS namespace for a raw key', { ...KEY, keyNamespace: 'aws-kms' }, 'keyNamespace'],
  ])('refuses %s, naming the option', (_case, key, option) => {
    // Prepare
    // Act
    const act = () => createCodeDecryptor(key);

    // Assess
    expect(act).toThrow(OptionsError);
    expect(act).toThrow(expect.objectContaining({ option }));
  });

  it('refuses an epoch time as the deadline: it is a budget in milliseconds', async () => {
    // Prepare
    const ciphertext = await cognitoCode('123456');

    // Act
    const error = await rejectionOf(decrypt(ciphertext, Date.now() + 1000));

    // Assess
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).option).toBe('deadline');
  });
});

describe('Custom sender: unescapeTemporaryPassword', () => {
  it.each([
    ['a&lt;b', 'a<b'],
    ['a&gt;b', 'a>b'],
    ['&lt;&gt;&lt;', '<><'],
    ['P@ss&lt;w0rd&gt;!', 'P@ss<w0rd>!'],
    // Only the two entities AWS names; `&amp;` is not known to be escaped, so it is left as sent.
    ['a&amp;b', 'a&amp;b'],
    ['&amp;lt;', '&amp;lt;'],
    ['&quot;&#39;&#60;', '&quot;&#39;&#60;'],
    // One pass: the `<` an entity gives back never starts another entity.
    ['&&lt;;', '&<;'],
    ['&lt;lt;', '<lt;'],
    // Entities are lower case and end with a semicolon.
    ['&LT;&Gt;', '&LT;&Gt;'],
    ['&lt &gt', '&lt &gt'],
    ['', ''],
  ])('turns %j into %j', (escaped, expected) => {
    // Prepare
    // Act
    const password = unescapeTemporaryPassword(escaped);

    // Assess
    expect(password).toBe(expected);
  });

  it('leaves any text without an ampersand as it is', () => {
    // Prepare
    const text = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((value) => !value.includes('&'));

    // Act
    const property = fc.property(text, (value) => unescapeTemporaryPassword(value) === value);

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});
