/**
 * The custom resource response protocol: one JSON document PUT to the request's pre-signed `ResponseURL`
 * (an S3 URL), with an empty `Content-Type` (the header is part of the URL's signature when set, and
 * CloudFormation's own helper sends it empty). CloudFormation waits for it until the resource's
 * `ServiceTimeout`, so the answer is retried on a network error or a 5xx, each attempt bounded.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AttachError } from '../errors.js';
import type { ResponseTarget } from './request.js';

/** The response document. */
export type CustomResourceResponse = {
  Status: 'SUCCESS' | 'FAILED';
  /** Shown in the stack's events. CloudFormation keeps its response within 4 KB: long reasons are cut. */
  Reason: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  /** Values for `!GetAtt <Resource>.<Key>`. */
  Data?: Record<string, string>;
};

/** The response could not be delivered. */
export class ResponseDeliveryError extends AttachError {
  public constructor(problem: string, options?: ErrorOptions) {
    super(`The CloudFormation response could not be delivered: ${problem}`, options);
    this.name = 'ResponseDeliveryError';
  }
}

/** How the response is sent. */
export type DeliveryOptions = {
  /** Attempts in all (default 3). */
  attempts?: number;
  /** Each attempt's limit (default 10 s). */
  attemptTimeoutMs?: number;
  /** Pause before the second attempt, doubled for each further one (default 500 ms). */
  backoffMs?: number;
};

const MAX_RESPONSE_BYTES = 4096;

/** The response to `target`: `Reason` shortened so that the document fits CloudFormation's 4 KB. */
export function responseDocument(
  target: ResponseTarget,
  answer: Pick<CustomResourceResponse, 'Status' | 'Reason' | 'PhysicalResourceId' | 'Data'>,
): string {
  const document: CustomResourceResponse = {
    Status: answer.Status,
    Reason: answer.Reason,
    PhysicalResourceId: answer.PhysicalResourceId,
    StackId: target.stackId,
    RequestId: target.requestId,
    LogicalResourceId: target.logicalResourceId,
    ...(answer.Data === undefined ? {} : { Data: answer.Data }),
  };
  let text = JSON.stringify(document);
  const excess = Buffer.byteLength(text) - MAX_RESPONSE_BYTES;
  if (excess > 0) {
    // Cut by characters; a JSON escape or a multi-byte character may need a little more.
    const keep = Math.max(0, document.Reason.length - excess - 16);
    document.Reason = `${document.Reason.slice(0, keep)} [cut]`;
    text = JSON.stringify(document);
  }
  return text;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL, if it is one the response may go to: HTTPS, or HTTP on this machine (tests). */
function checkedUrl(responseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch (error) {
    throw new ResponseDeliveryError('ResponseURL is not a URL', { cause: error });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
  throw new ResponseDeliveryError(`ResponseURL must be https, not ${url.protocol}`);
}

/** One PUT; resolves with the status code. */
function put(url: URL, body: string, timeoutMs: number): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('the answer was cut off')));
      },
    );
    // The whole attempt, not just an idle socket: an answer that trickles in is cut off too.
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * PUTs `body` (a {@link responseDocument}) to `responseUrl`.
 * @throws ResponseDeliveryError when every attempt failed, or at once for a 4xx answer (an expired or
 * altered URL: trying again cannot help). Its message never holds the URL, which is a credential.
 */
export async function deliverResponse(
  responseUrl: string,
  body: string,
  options: DeliveryOptions = {},
): Promise<void> {
  const { attempts = 3, attemptTimeoutMs = 10_000, backoffMs = 500 } = options;
  const url = checkedUrl(responseUrl);
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 2)));
    try {
      const status = await put(url, body, attemptTimeoutMs);
      if (status >= 200 && status < 300) return;
      if (status >= 400 && status < 500) {
        throw new ResponseDeliveryError(`the response URL answered HTTP ${status}`);
      }
      last = new Error(`HTTP ${status}`);
    } catch (error) {
      if (error instanceof ResponseDeliveryError) throw error;
      last = error;
    }
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new ResponseDeliveryError(`${attempts} attempts failed, the last with: ${reason}`, { cause: last });
}
