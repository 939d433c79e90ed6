import { describe, expect, it } from 'vitest';
import { callerClientId, clientIdOfAccessToken } from '../../../../local/cognito-local/token-client-id.js';
import { cognitoRequestContext } from '../../../../local/request-context.js';

/** An unsigned JWT with these claims (cognito-local accepts the token before the trigger runs). */
function tokenWith(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

function during<T>(operation: string, body: Record<string, unknown>, run: () => T): T {
  return cognitoRequestContext.run({ operation, body, userAgent: undefined }, run);
}

describe('Cognito-local: clientIdOfAccessToken', () => {
  it("reads the token's client_id claim", () => {
    // Prepare
    const token = tokenWith({ sub: 'sub-1', client_id: 'app-client-1', token_use: 'access' });

    // Act
    const clientId = clientIdOfAccessToken(token);

    // Assess
    expect(clientId).toBe('app-client-1');
  });

  it.each([
    ['not a string', 42],
    ['no payload part', 'header-only'],
    ['a payload that is not JSON', 'a.bm90IGpzb24.c'],
    ['no client_id claim', tokenWith({ sub: 'sub-1' })],
    ['an empty client_id', tokenWith({ client_id: '' })],
  ])('gives undefined for %s', (_case, token) => {
    // Act
    const clientId = clientIdOfAccessToken(token);

    // Assess
    expect(clientId).toBeUndefined();
  });
});

describe('Cognito-local: callerClientId', () => {
  it.each([['UpdateUserAttributes'], ['GetUserAttributeVerificationCode']])(
    "names the access token's app client during %s",
    (operation) => {
      // Prepare
      const body = { AccessToken: tokenWith({ client_id: 'app-client-1' }) };

      // Act
      const clientId = during(operation, body, () => callerClientId(NO_CLIENT));

      // Assess
      expect(clientId).toBe('app-client-1');
    },
  );

  it('keeps the value cognito-local gave for an administrator call and outside any call', () => {
    // Prepare
    const body = { AccessToken: tokenWith({ client_id: 'app-client-1' }) };

    // Act
    const admin = during('AdminUpdateUserAttributes', body, () => callerClientId(NO_CLIENT));
    const outside = callerClientId(null);

    // Assess
    expect(admin).toBe(NO_CLIENT);
    expect(outside).toBeNull();
  });
});
