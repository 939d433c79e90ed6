import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidSecretHash,
  requireSecretHash,
  secretHashOf,
} from '../../../../local/cognito-local/secret-hash.js';
import { anyText } from '../../../support/arbitraries.js';

const SECRET = 'client-secret-of-the-confidential-client';
const CLIENT_ID = 'confidential-client';

/** AWS's recipe, written out independently: Base64(HMAC-SHA256(secret, username + client id)). */
function awsSecretHash(username: string): string {
  return createHmac('sha256', SECRET)
    .update(username + CLIENT_ID)
    .digest('base64');
}

class NotAuthorizedError extends Error {
  public readonly code = 'NotAuthorizedException';
}

describe('Cognito-local: secretHashOf and isValidSecretHash', () => {
  it('computes the hash AWS documents', () => {
    // Prepare
    const username = 'jane@example.com';

    // Act
    const hash = secretHashOf(SECRET, username, CLIENT_ID).toString('base64');

    // Assess
    expect(hash).toBe(awsSecretHash(username));
  });

  it('accepts the right hash and refuses one for another user name', () => {
    // Prepare
    const given = awsSecretHash('jane@example.com');

    // Act
    const right = isValidSecretHash(given, SECRET, 'jane@example.com', CLIENT_ID);
    const otherUser = isValidSecretHash(given, SECRET, 'joan@example.com', CLIENT_ID);

    // Assess
    expect(right).toBe(true);
    expect(otherUser).toBe(false);
  });

  it('refuses any other client-supplied value without throwing', () => {
    // Prepare
    const username = 'jane@example.com';
    const right = awsSecretHash(username);

    // Act
    const property = fc.property(anyText({ maxLength: 200 }), (given) =>
      given === right ? true : isValidSecretHash(given, SECRET, username, CLIENT_ID) === false,
    );

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Cognito-local: requireSecretHash', () => {
  const checkSecretHash = requireSecretHash({
    cognito: {
      getAppClient: async (_ctx, clientId) => (clientId === CLIENT_ID ? { ClientSecret: SECRET } : {}),
    },
    errors: { NotAuthorizedError },
  });
  const ctx = { logger: undefined };

  it.each([
    ['missing', undefined, `Client ${CLIENT_ID} is configured for secret but secret was not received`],
    ['wrong', 'bm90LXRoZS1oYXNo', `Unable to verify secret hash for client ${CLIENT_ID}`],
  ])(
    "refuses a %s SecretHash with Cognito's NotAuthorizedException message",
    async (_case, hash, message) => {
      // Prepare
      const body = {
        ClientId: CLIENT_ID,
        Username: 'jane@example.com',
        ...(hash === undefined ? {} : { SecretHash: hash }),
      };

      // Act
      const error = await checkSecretHash(ctx, body).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(NotAuthorizedError);
      expect((error as Error).message).toBe(message);
    },
  );

  it('lets a client without a secret through, and a valid hash', async () => {
    // Prepare
    const publicCall = { ClientId: 'public-client', Username: 'jane@example.com' };
    const signedCall = {
      ClientId: CLIENT_ID,
      Username: 'jane@example.com',
      SecretHash: awsSecretHash('jane@example.com'),
    };

    // Act
    const outcomes = await Promise.all([checkSecretHash(ctx, publicCall), checkSecretHash(ctx, signedCall)]);

    // Assess
    expect(outcomes).toEqual([undefined, undefined]);
  });
});
