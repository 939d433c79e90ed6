/**
 * Cognito names an error twice: `__type` in the JSON body and the `x-amzn-ErrorType` header, whose value is
 * the type followed by a colon (`NotAuthorizedException:`, captured from Cognito in localstack/localstack#3201
 * [O]; contract §5b). cognito-local sends the body alone. The AWS SDK for JavaScript v3 installed here reads
 * `__type` first for this protocol and strips what follows a `:`; older v3 releases read the header first,
 * and so may other clients written against Cognito. The front server (local/cognito-local/front-server.ts)
 * adds the header to every error answer that carries a `__type`, its own included.
 */
import type { ServerResponse } from 'node:http';

/** The header's name as Cognito spells it. */
export const ERROR_TYPE_HEADER = 'x-amzn-ErrorType';

/** Error bodies longer than this are not read for their type (Cognito's are a few hundred bytes). */
const LARGEST_ERROR_BODY_READ = 64 * 1024;

/**
 * The header's value for an error type.
 *
 * @example
 * errorTypeHeaderOf('UserNotFoundException'); // 'UserNotFoundException:'
 */
export function errorTypeHeaderOf(type: string): string {
  return `${type}:`;
}

/** The `__type` of a JSON error body (a string or bytes), or `undefined` when it has none. */
export function errorTypeOfBody(body: unknown): string | undefined {
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array)
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
  else return undefined;
  if (text.length > LARGEST_ERROR_BODY_READ) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    const type = (parsed as { __type?: unknown } | null)?.__type;
    // A value a header cannot carry (a line break, a character beyond Latin-1) is left out.
    return typeof type === 'string' && /^[\x20-\x7e]+$/.test(type) ? type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes `response` add `x-amzn-ErrorType` when it ends with an error status and a JSON body naming a
 * `__type`, unless the header is already set. Call it before handing the response to cognito-local.
 *
 * @example
 * sendErrorTypeHeader(response);
 * app(request, response);
 */
export function sendErrorTypeHeader(response: ServerResponse): void {
  const end = response.end;
  response.end = function endWithErrorType(this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent && this.statusCode >= 400 && !this.hasHeader(ERROR_TYPE_HEADER)) {
      const type = errorTypeOfBody(args[0]);
      if (type !== undefined) this.setHeader(ERROR_TYPE_HEADER, errorTypeHeaderOf(type));
    }
    return end.apply(this, args as Parameters<typeof end>);
  } as typeof response.end;
}
