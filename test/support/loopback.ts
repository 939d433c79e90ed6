/**
 * For the loopback servers that tests of code calling out over HTTP talk to: listening and stopping, a
 * request's body, and an address where nothing listens.
 */
import type { IncomingMessage, Server } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';

/** A started loopback server. */
export type ListeningServer = {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Closes the server, first destroying the connections still open (a hung request included). */
  stop(): Promise<void>;
};

/** Starts `server` on 127.0.0.1, on a port the OS picks, keeping track of its connections for `stop`. */
export async function listenOnLoopback(server: Server): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The whole body of `request`, decoded as UTF-8. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A loopback URL nothing listens on (a port the OS handed out and that was released at once), followed by
 * `path`: for "the other side is down" tests.
 */
export async function unusedLoopbackUrl(path = ''): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Test bug: no TCP port was bound');
  return `http://127.0.0.1:${address.port}${path}`;
}
