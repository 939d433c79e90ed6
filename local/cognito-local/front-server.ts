/**
 * The server in front of cognito-local, on the pool's port. It listens before cognito-local is built (the
 * configuration names the pool's URL as token issuer), and for each API call reads the JSON body once and
 * opens the request context (local/request-context.ts), so triggers get the caller's `ValidationData` and
 * SDK version, which cognito-local drops.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { LocalService } from '../errors.js';
import { listenOn } from '../listen.js';
import { type CognitoRequestContext, cognitoRequestContext } from '../request-context.js';
import type { Json } from './internals.js';

/** A listening front server. */
export type FrontServer = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Hands requests to cognito-local's app from now on; until then they get 503. */
  serve(application: RequestListener): void;
  close(): Promise<void>;
};

/** The body as a JSON object (`{}` when empty or not an object); throws when it is not JSON. */
async function readJsonBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {};
}

/** The operation named by `X-Amz-Target` (`AWSCognitoIdentityProviderService.SignUp` gives `SignUp`). */
export function operationOf(target: string): string {
  return target.slice(target.indexOf('.') + 1);
}

/**
 * Starts listening; a taken fixed port fails with `PortInUseError` (`--cognito-port`).
 *
 * @example
 * const front = await startFrontServer({ host: '127.0.0.1', port: 0 });
 * front.serve(cognitoLocalApp);
 */
export async function startFrontServer(options: { host: string; port: number }): Promise<FrontServer> {
  let application: RequestListener | undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const contentType = String(request.headers['content-type'] ?? '');
    const context: CognitoRequestContext = {
      operation: operationOf(String(request.headers['x-amz-target'] ?? '')),
      body: {},
      userAgent: request.headers['user-agent'],
    };
    if (request.method === 'POST' && contentType.startsWith('application/x-amz-json')) {
      try {
        context.body = await readJsonBody(request);
      } catch {
        response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'SerializationException', message: 'Body is not JSON' }));
        return;
      }
      // The body is read: cognito-local's body parser sees a finished request and keeps `req.body`.
      (request as IncomingMessage & { body?: Json }).body = context.body;
    }
    const app = application;
    if (app === undefined) {
      response.writeHead(503).end();
      return;
    }
    cognitoRequestContext.run(context, () => app(request, response));
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  const port = await listenOn(server, {
    service: LocalService.Cognito,
    host: options.host,
    port: options.port,
  });
  return {
    url: `http://${options.host}:${port}`,
    port,
    serve(app) {
      application = app;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
