import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalService, PortInUseError } from '../../../local/errors.js';
import { listenOn } from '../../../local/listen.js';

describe('Local: listenOn', () => {
  const servers = [createServer(), createServer()];
  afterEach(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('resolves with the port the OS picked for port 0', async () => {
    // Prepare
    const [server] = servers;

    // Act
    const port = await listenOn(server as ReturnType<typeof createServer>, {
      service: LocalService.DynamoDb,
      host: '127.0.0.1',
      port: 0,
    });

    // Assess
    expect(port).toBeGreaterThan(0);
  });

  it.each([
    [LocalService.Cognito, '--cognito-port', 'The user pool API (cognito-local)'],
    [LocalService.Lambda, '--lambda-port', 'The Lambda Invoke API'],
    [LocalService.DynamoDb, '--dynamodb-port', 'DynamoDB (dynalite)'],
  ])('rejects a taken port of %s with PortInUseError naming %s', async (service, option, label) => {
    // Prepare
    const [first, second] = servers as [ReturnType<typeof createServer>, ReturnType<typeof createServer>];
    const port = await listenOn(first, { service, host: '127.0.0.1', port: 0 });

    // Act
    const error = await listenOn(second, { service, host: '127.0.0.1', port }).catch(
      (caught: unknown) => caught,
    );

    // Assess
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error).toMatchObject({ service, port, option, host: '127.0.0.1' });
    expect((error as Error).message).toBe(
      `${label} cannot listen on 127.0.0.1:${port}: the port is in use; choose another with ${option} <n>, or leave ${option} out for a free port`,
    );
  });
});
