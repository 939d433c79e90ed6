import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  errorTypeHeaderOf,
  errorTypeOfBody,
  sendErrorTypeHeader,
} from '../../../../local/cognito-local/error-type-header.js';

describe('Cognito-local: errorTypeHeaderOf', () => {
  it('spells the type with a trailing colon, as Cognito does', () => {
    // Prepare
    const type = 'UserNotFoundException';

    // Act
    const header = errorTypeHeaderOf(type);

    // Assess
    expect(header).toBe('UserNotFoundException:');
  });
});

describe('Cognito-local: errorTypeOfBody', () => {
  it.each([
    [
      'a JSON string',
      '{"__type":"UserNotFoundException","message":"User not found."}',
      'UserNotFoundException',
    ],
    ['JSON bytes', Buffer.from('{"__type":"CodeMismatchException"}'), 'CodeMismatchException'],
    ['a namespaced type', '{"__type":"CognitoLocal#Unsupported"}', 'CognitoLocal#Unsupported'],
    ['a body without __type', '{"message":"Missing x-amz-target header"}', undefined],
    ['a type a header cannot carry', '{"__type":"Bad\\nType"}', undefined],
    ['a type that is not a string', '{"__type":42}', undefined],
    ['text that is not JSON', 'Internal error', undefined],
    ['JSON null', 'null', undefined],
    ['no body', undefined, undefined],
  ])('reads %s as %j', (_label, body, expected) => {
    // Prepare
    const given: unknown = body;

    // Act
    const type = errorTypeOfBody(given);

    // Assess
    expect(type).toBe(expected);
  });
});

describe('Cognito-local: sendErrorTypeHeader', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  /** Serves `answer` behind sendErrorTypeHeader and fetches it. */
  async function fetchThrough(answer: RequestListener) {
    server = createServer((request, response) => {
      sendErrorTypeHeader(response);
      answer(request, response);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
    return {
      status: response.status,
      header: response.headers.get('x-amzn-errortype'),
      body: await response.text(),
    };
  }

  it('adds the header to an error answer that names its __type, as cognito-local (express) sends it', async () => {
    // Prepare
    const body = JSON.stringify({ __type: 'UserNotFoundException', message: 'User not found.' });

    // Act
    const fetched = await fetchThrough((_request, response) => {
      response.statusCode = 400;
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.end(body, 'utf8');
    });

    // Assess
    expect(fetched).toEqual({ status: 400, header: 'UserNotFoundException:', body });
  });

  it.each([
    ['a success', 200, '{"__type":"NotAnError"}'],
    ['an error without __type', 400, '{"message":"Missing x-amz-target header"}'],
  ])('leaves %s without the header', async (_label, status, body) => {
    // Prepare
    const answer: RequestListener = (_request, response) => {
      response.statusCode = status;
      response.end(body);
    };

    // Act
    const fetched = await fetchThrough(answer);

    // Assess
    expect({ status: fetched.status, header: fetched.header }).toEqual({ status, header: null });
  });

  it('keeps a header already set', async () => {
    // Prepare
    const answer: RequestListener = (_request, response) => {
      response.writeHead(413, { 'x-amzn-ErrorType': 'RequestEntityTooLargeException:' });
      response.end('{"__type":"SomethingElse"}');
    };

    // Act
    const fetched = await fetchThrough(answer);

    // Assess
    expect(fetched.header).toBe('RequestEntityTooLargeException:');
  });
});
