/**
 * How every local server of the pipeline starts listening: on loopback, on a fixed port or a free one, and
 * with a {@link PortInUseError} naming the service and its `npm start` option when a fixed port is taken
 * (Node.js alone says `listen EADDRINUSE`).
 */
import type { Server } from 'node:net';
import { type LocalService, PortInUseError } from './errors.js';

/** Where to listen, and which service it is (for the error message). */
export type ListenOptions = {
  service: LocalService;
  host: string;
  /** 0: a free port the OS picks. */
  port: number;
};

/**
 * Starts listening; resolves with the port actually bound.
 *
 * @example
 * const port = await listenOn(server, { service: LocalService.Lambda, host: '127.0.0.1', port: 0 });
 */
export function listenOn(server: Server, options: ListenOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    function onError(error: NodeJS.ErrnoException): void {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(options.service, options.host, options.port, { cause: error })
          : error,
      );
    }
    function onListening(): void {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : options.port);
    }
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });
}
