/**
 * A loopback stand-in for the pre-signed S3 URL CloudFormation hands a custom resource: it records every
 * request (method, path and query, headers, body) and answers each with the next status of a script, never
 * (`'hang'`), or with a body that trickles in and never ends (`'trickle'`), then 200.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenOnLoopback, readBody } from './loopback.js';

/** One request the server received. */
export type ReceivedRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/** What the server answers a request with: an HTTP status, no answer at all, or a never-ending 200. */
export type ScriptedAnswer = number | 'hang' | 'trickle';

/** A byte of the trickling body this often: well inside any attempt's timeout, so the socket never idles. */
const TRICKLE_MS = 20;

export type ResponseServer = {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  requests: ReceivedRequest[];
  stop(): Promise<void>;
};

/** Starts a server on 127.0.0.1 (a port the OS picks) that answers with `script`, then 200. */
export async function startResponseServer(script: readonly ScriptedAnswer[] = []): Promise<ResponseServer> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const answer = script[requests.length] ?? 200;
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    if (answer === 'hang') return;
    if (answer === 'trickle') {
      response.writeHead(200, { 'content-length': '100000' });
      const timer = setInterval(() => response.write('x'), TRICKLE_MS);
      response.on('close', () => clearInterval(timer));
      return;
    }
    response.writeHead(answer).end();
  });
  const { origin, stop } = await listenOnLoopback(server);
  return {
    origin,
    requests,
    stop,
  };
}
