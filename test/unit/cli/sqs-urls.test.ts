import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, checkQueueUrl } from '../../../cli/sqs-urls.js';

describe('CLI: checkQueueUrl', () => {
  it.each([
    ['an AWS queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/sign-up-failures'],
    ['a FIFO queue', 'https://sqs.eu-west-1.amazonaws.com/123456789012/failures.fifo'],
    ['a legacy AWS host', 'https://queue.amazonaws.com/123456789012/failures'],
    ['a China Region queue', 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/failures'],
    ['moto or LocalStack over http', 'http://localhost:4566/000000000000/failures'],
    ['ElasticMQ', 'http://127.0.0.1:9324/queue/failures'],
  ])('accepts %s', (_case, url) => {
    // Prepare
    const option = '--queue-url';

    // Act
    const checked = checkQueueUrl(option, url);

    // Assess
    expect(checked).toBe(url);
  });

  it.each([
    ['text that is no URL', 'failures', 'must be an SQS queue URL'],
    ['a queue name with the ARN', 'arn:aws:sqs:us-east-1:123456789012:failures', 'https, or http'],
    ['another scheme', 'ftp://localhost/000000000000/failures', 'https, or http'],
    ['http to AWS', 'http://sqs.us-east-1.amazonaws.com/123456789012/failures', 'must use https'],
    [
      'an AWS account id that is not 12 digits',
      'https://sqs.us-east-1.amazonaws.com/1234/q',
      '/<account id>/',
    ],
    ['a missing queue name', 'https://sqs.us-east-1.amazonaws.com/123456789012/', '/<account id>/'],
    ['an extra path segment', 'http://localhost:4566/000000000000/a/b', '/<account id>/'],
    ['a queue name with a dot', 'http://localhost:4566/000000000000/a.b', '/<account id>/'],
    ['a queue name over 80 characters', `http://localhost:4566/0/${'q'.repeat(81)}`, '/<account id>/'],
    ['a query', 'https://sqs.us-east-1.amazonaws.com/123456789012/q?Action=x', 'without a query'],
    ['credentials', 'https://user:secret@sqs.us-east-1.amazonaws.com/123456789012/q', 'credentials'],
  ])('refuses %s with a UsageError naming the option', (_case, url, problem) => {
    // Prepare
    const option = '--queue-url';

    // Act
    const check = () => checkQueueUrl(option, url);

    // Assess
    expect(check).toThrow(
      expect.objectContaining({
        name: 'UsageError',
        message: expect.stringMatching(new RegExp(`^--queue-url .*${problem.replace(/[?<>/]/g, '\\$&')}`)),
      }),
    );
  });

  it('never echoes the credentials of a URL that carries them', () => {
    // Prepare
    const url = 'https://user:secret@sqs.us-east-1.amazonaws.com/123456789012/q';

    // Act
    const check = () => checkQueueUrl('--queue-url', url);

    // Assess
    expect(check).toThrow(expect.not.objectContaining({ message: expect.stringContaining('secret') }));
  });
});

describe('CLI: checkEndpointUrl', () => {
  it('accepts an http endpoint of a local server', () => {
    // Prepare
    const url = 'http://localhost:4566';

    // Act
    const checked = checkEndpointUrl('--endpoint-url', url);

    // Assess
    expect(checked).toBe(url);
  });

  it('refuses a host without its scheme, naming the option', () => {
    // Prepare
    const url = 'localhost:4566';

    // Act
    const check = () => checkEndpointUrl('--endpoint-url', url);

    // Assess
    expect(check).toThrow(
      expect.objectContaining({ name: 'UsageError', message: expect.stringContaining('--endpoint-url') }),
    );
  });
});
