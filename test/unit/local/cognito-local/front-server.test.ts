import { afterEach, describe, expect, it } from 'vitest';
import {
  type FrontServer,
  operationOf,
  startFrontServer,
} from '../../../../local/cognito-local/front-server.js';
import { type CognitoRequestContext, cognitoRequestContext } from '../../../../local/request-context.js';

describe('Cognito-local: operationOf', () => {
  it.each([
    ['AWSCognitoIdentityProviderService.SignUp', 'SignUp'],
    ['SignUp', 'SignUp'],
    ['', ''],
  ])('reads %j as %j', (target, operation) => {
    // Prepare
    const header = target;

    // Act
    const found = operationOf(header);

    // Assess
    expect(found).toBe(operation);
  });
});

describe('Cognito-local: startFrontServer', () => {
  let front: FrontServer | undefined;
  afterEach(async () => {
    await front?.close();
    front = undefined;
  });

  function call(url: string, body: string) {
    return fetch(url, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp',
        'User-Agent': 'aws-sdk-js/3.1169.0 ua/2.1',
      },
    });
  }

  it('answers 503 until cognito-local is served', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });

    // Act
    const response = await call(front.url, '{}');

    // Assess
    expect(response.status).toBe(503);
  });

  it('hands cognito-local the parsed body inside the request context of the call', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    let seen: CognitoRequestContext | undefined;
    front.serve((_request, response) => {
      seen = cognitoRequestContext.getStore();
      response.end('{}');
    });

    // Act
    await call(front.url, JSON.stringify({ ValidationData: [{ Name: 'invite', Value: 'v1' }] }));

    // Assess
    expect(seen).toEqual({
      operation: 'SignUp',
      body: { ValidationData: [{ Name: 'invite', Value: 'v1' }] },
      userAgent: 'aws-sdk-js/3.1169.0 ua/2.1',
    });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    // Prepare
    front = await startFrontServer({ host: '127.0.0.1', port: 0 });
    front.serve((_request, response) => response.end('{}'));

    // Act
    const response = await call(front.url, '{not json');
    const body = await response.json();

    // Assess
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ __type: 'SerializationException' });
  });
});
