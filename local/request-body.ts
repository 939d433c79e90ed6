/**
 * Reading a request body with a size limit, for the local servers that take bodies from clients (the user
 * pool front end and the Lambda Invoke API): nothing past the limit is read or kept, and a refused
 * connection is closed so that the client still reads the answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request's body, or `undefined` as soon as it is known to exceed `limit` bytes: at once from a
 * `Content-Length` over the limit, otherwise when the bytes read pass it (a chunked body has no length).
 * Nothing past the limit is read or kept; the request is left paused for the caller to close.
 */
export function readBodyUpTo(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    function stop(): void {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
      request.pause();
    }
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) {
        stop();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      stop();
      resolve(Buffer.concat(chunks));
    }
    function onError(error: Error): void {
      stop();
      reject(error);
    }
    function onClose(): void {
      stop();
      reject(new Error('The client closed the connection before the body ended'));
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

// A refused body is read on and thrown away up to this many bytes after the answer, so a client that sends
// its whole body before it reads (the AWS SDK writes a body in one piece) finishes writing and reads the
// answer, instead of getting EPIPE on a closed socket: the SDK reports that as an uncaught exception in the
// caller's process. Past it, or after the wait below, the connection is destroyed.
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;
// The longest a refused connection stays open after the answer, whatever the client is still sending.
const REFUSED_CONNECTION_LINGER_MS = 2000;

/**
 * Ends the connection once `response` is out: the rest of the body is read and thrown away (nothing kept)
 * until it ends, then our side is closed; a body past {@link DISCARD_LIMIT_BYTES} or a client still sending
 * after {@link REFUSED_CONNECTION_LINGER_MS} gets the connection destroyed. Call it before writing the
 * answer, without `Connection: close` (Node.js would then destroy the socket the moment the answer is
 * flushed, before the client has read it).
 */
export function closeAfterAnswer(request: IncomingMessage, response: ServerResponse): void {
  const { socket } = request;
  response.once('finish', () => {
    let discarded = 0;
    const timer = setTimeout(() => socket.destroy(), REFUSED_CONNECTION_LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    request.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT_BYTES) socket.destroy();
    });
    request.once('end', () => socket.end());
    request.on('error', () => socket.destroy());
    request.resume();
  });
}
