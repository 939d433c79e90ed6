/**
 * The SQS URLs a command takes (`--queue-url`, `--endpoint-url`), checked before anything asks for AWS
 * credentials or sends a request: a typo fails at once, naming the option, instead of as an SDK error later.
 */
import { UsageError } from './command-line.js';

// SQS: 1 to 80 characters of letters, digits, `-` and `_`; a FIFO queue's name ends in `.fifo` (within the 80).
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;
// The first path segment: the account id on AWS, anything a local server uses there (`queue` for ElasticMQ).
const ACCOUNT_ID = /^\d{12}$/;
const LOCAL_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

function isAwsHost(hostname: string): boolean {
  return /(?:^|\.)amazonaws\.com(?:\.cn)?$/i.test(hostname);
}

function parseHttpUrl(option: string, text: string, expected: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${option} must be ${expected}, not ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(
      `${option} must be ${expected} (https, or http for a local endpoint), not ${JSON.stringify(text)}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`${option} must not carry credentials`);
  }
  // AWS's endpoints only answer https; http is for a local server (moto, LocalStack, ElasticMQ).
  if (url.protocol === 'http:' && isAwsHost(url.hostname)) {
    throw new UsageError(`${option} must use https for ${url.hostname}: http is for a local endpoint`);
  }
  return url;
}

/**
 * `text` when it has the shape of an SQS queue URL: `https://sqs.<region>.amazonaws.com/<account id>/<name>`,
 * or `http(s)://<host>/<segment>/<name>` for a local endpoint (moto, LocalStack, ElasticMQ).
 * @throws UsageError naming `option` and what is wrong.
 *
 * @example
 * checkQueueUrl('--queue-url', 'https://sqs.us-east-1.amazonaws.com/123456789012/sign-up-failures');
 */
export function checkQueueUrl(option: string, text: string): string {
  const expected = 'an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/my-queue';
  const url = parseHttpUrl(option, text, expected);
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError(`${option} must be ${expected}, without a query or fragment`);
  }
  const segments = url.pathname.split('/').slice(1);
  const [account = '', name = ''] = segments;
  const accountShape = isAwsHost(url.hostname) ? ACCOUNT_ID : LOCAL_SEGMENT;
  if (segments.length !== 2 || !accountShape.test(account) || !QUEUE_NAME.test(name)) {
    throw new UsageError(
      `${option} must end in /<account id>/<queue name> (${expected}), not ${JSON.stringify(url.pathname)}`,
    );
  }
  return text;
}

/**
 * `text` when it is an http(s) URL fit for an SDK `endpoint` (`http://localhost:4566`).
 * @throws UsageError naming `option` and what is wrong.
 */
export function checkEndpointUrl(option: string, text: string): string {
  parseHttpUrl(option, text, 'an endpoint URL such as http://localhost:4566');
  return text;
}
