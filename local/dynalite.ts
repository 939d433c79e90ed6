/**
 * dynalite (npm `dynalite`: DynamoDB's API over LevelDB) for the tables of the local pipeline, in this
 * process, on loopback. With a folder it keeps the tables on disk (a `--data-dir` run finds them again);
 * without one they live in memory.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { LocalService } from './errors.js';
import { listenOn } from './listen.js';

/** dynalite ships no types: the factory as its readme documents it. */
type Dynalite = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

/** A running dynalite. */
export type LocalDynamoDb = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
};

/** Options of {@link startDynalite}. */
export type DynaliteOptions = {
  /** LevelDB folder; in memory when unset. */
  path?: string;
  /** Default 0: a free port the OS picks; a taken one fails with `PortInUseError`. */
  port?: number;
  host?: string;
};

/**
 * Starts dynalite; tables are ACTIVE as soon as they are created.
 *
 * @example
 * const dynamodb = await startDynalite({ path: join(dataDir, 'dynamodb') });
 */
export async function startDynalite(options: DynaliteOptions = {}): Promise<LocalDynamoDb> {
  const host = options.host ?? '127.0.0.1';
  const server = dynalite({
    ...(options.path === undefined ? {} : { path: options.path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const port = await listenOn(server, { service: LocalService.DynamoDb, host, port: options.port ?? 0 });
  return {
    url: `http://${host}:${port}`,
    async close() {
      // Keep-alive sockets of the functions' SDK clients would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
