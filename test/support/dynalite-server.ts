/**
 * dynalite (npm `dynalite`, a devDependency: DynamoDB's API over an in-memory LevelDB) for the tests of
 * the post confirmation actions that write to DynamoDB. It runs in the test process on 127.0.0.1 and a port
 * the OS picks, keeps nothing on disk, and {@link DynaliteServer.stop} closes it.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';

/** Dummy credentials for the SDK (dynalite does not check signatures). */
export const dynaliteCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** dynalite ships no types: the factory as its readme documents it. */
type Dynalite = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

/** A running dynalite. */
export type DynaliteServer = {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  endpoint: string;
  /** An admin client pointed at the server, for setting up and inspecting. */
  admin: DynamoDBClient;
  /** Creates an on-demand table with the string partition key `key` and waits until it is active. */
  createTable(name: string, key: string): Promise<void>;
  /** Every item of a table (one page: the tests write a handful). */
  itemsOf(name: string): Promise<Record<string, AttributeValue>[]>;
  /** Closes the server, its open connections included. */
  stop(): Promise<void>;
};

/** Starts dynalite in memory on loopback. */
export async function startDynaliteServer(): Promise<DynaliteServer> {
  // Tables are ACTIVE at once: the tests have no use for DynamoDB's CREATING state.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: dynaliteCredentials });

  return {
    endpoint,
    admin,
    async createTable(name, key) {
      await admin.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const table = await admin.send(new DescribeTableCommand({ TableName: name }));
        if (table.Table?.TableStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`dynalite: table ${name} did not become active`);
    },
    async itemsOf(name) {
      const answer = await admin.send(new ScanCommand({ TableName: name, ConsistentRead: true }));
      return answer.Items ?? [];
    },
    async stop() {
      admin.destroy();
      // Keep-alive sockets of the clients under test would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
