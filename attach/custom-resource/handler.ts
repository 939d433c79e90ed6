/**
 * The Lambda handler of the `TriggerAttachment` custom resource (template.yaml, existing-pool mode): reads
 * CloudFormation's request, attaches or detaches the trigger functions (lifecycle.ts) and answers on the
 * request's response URL, always, before the function's own timeout: an unanswered request would hold the
 * stack until the resource's `ServiceTimeout`.
 *
 * The Cognito client uses the function's Region and role; `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`
 * points it at a local server (tests, moto). The log names pools, slots and function ARNs, never the
 * response URL (a credential) or the pool's other settings.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  CognitoIdentityProviderClient,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Context } from 'aws-lambda';
import type { UserPoolClient } from '../cognito-pool.js';
import { AttachError } from '../errors.js';
import { type AttachmentAnswer, answerRequest, type Progress, reasonOf } from './lifecycle.js';
import { NOT_ATTACHED } from './physical-id.js';
import { type CustomResourceRequest, parseCustomResourceRequest, responseTargetOf } from './request.js';
import { deliverResponse, responseDocument } from './respond.js';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cognito-trigger-attach' });

/** Time kept back from the function's timeout to deliver the answer (three attempts of at most 10 s each). */
export const RESPONSE_RESERVE_MS = 35_000;

/** Cognito calls: a few seconds each, retried; the whole request stays far inside the reserve's budget. */
function cognitoClient(): UserPoolClient {
  return new CognitoIdentityProviderClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000, throwOnRequestTimeout: true },
  });
}

/** The error for the log: ours whole (pool ids and ARNs), any other by name and stack frames only. */
function loggable(error: unknown): Record<string, unknown> {
  if (error instanceof AttachError) {
    const cause = error.cause instanceof Error ? error.cause.name : undefined;
    return { name: error.name, message: error.message, ...(cause === undefined ? {} : { cause }) };
  }
  if (error instanceof Error)
    return { name: error.name, stack: error.stack?.split('\n').slice(1).join('\n') };
  return { name: typeof error };
}

/** The budget ran out: the answer is given, so no `UpdateUserPool` may be sent any more. */
class BudgetSpentError extends AttachError {
  public constructor() {
    super('The time to answer CloudFormation ran out before UpdateUserPool was sent (nothing was changed)');
    this.name = 'BudgetSpentError';
  }
}

/**
 * `client`, refusing `UpdateUserPool` once `spent()`: the work an answer cut short keeps running, and a write
 * after CloudFormation heard the answer would change the pool behind its back.
 */
function guarded(client: UserPoolClient, spent: () => boolean): UserPoolClient {
  return {
    config: client.config,
    send: ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      if (spent() && command instanceof UpdateUserPoolCommand) return Promise.reject(new BudgetSpentError());
      return (client.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as UserPoolClient['send'],
  };
}

/**
 * `answerRequest`, or a `FAILED` answer when `budgetMs` runs out first. The answer then names the attached
 * id if `UpdateUserPool` was on its way (so a rollback detaches), and nothing is sent after it.
 */
async function withinBudget(
  request: CustomResourceRequest,
  client: UserPoolClient,
  budgetMs: number,
): Promise<AttachmentAnswer> {
  const progress: Progress = {
    physicalResourceId: request.physicalResourceId ?? NOT_ATTACHED,
  };
  let spent = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<AttachmentAnswer>((resolve) => {
    timer = setTimeout(
      () => {
        spent = true;
        resolve({
          status: 'FAILED',
          physicalResourceId: progress.physicalResourceId,
          reason: `Did not finish within ${Math.max(0, Math.round(budgetMs))} ms; the pool may or may not have changed: check it with npm run attach -- --dry-run`,
          changes: [],
        });
      },
      Math.max(0, budgetMs),
    );
  });
  try {
    const work = answerRequest(
      request,
      guarded(client, () => spent),
      progress,
    );
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Handles one custom resource request. Resolves once the answer is delivered.
 * @throws only when the request cannot be answered at all (no response URL), or the answer could not be
 * delivered: the invocation then fails for CloudFormation's and Lambda's records.
 */
export async function handleCustomResource(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  client: UserPoolClient = cognitoClient(),
): Promise<void> {
  const target = responseTargetOf(event);
  let answer: AttachmentAnswer;
  let requestType = 'unknown';
  try {
    const request = parseCustomResourceRequest(event);
    requestType = request.requestType;
    answer = await withinBudget(request, client, context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS);
  } catch (error) {
    const physical = (event as { PhysicalResourceId?: unknown }).PhysicalResourceId;
    answer = {
      status: 'FAILED',
      physicalResourceId: typeof physical === 'string' && physical !== '' ? physical : NOT_ATTACHED,
      reason: reasonOf(error),
      changes: [],
      error,
    };
  }
  const fields = {
    requestType,
    logicalResourceId: target.logicalResourceId,
    status: answer.status,
    physicalResourceId: answer.physicalResourceId,
    changes: answer.changes.map(({ path, from, to }) => ({ path, from: from ?? null, to: to ?? null })),
  };
  if (answer.status === 'SUCCESS')
    logger.info('trigger attachment done', { ...fields, reason: answer.reason });
  else {
    const error = answer.error === undefined ? {} : { error: loggable(answer.error) };
    logger.error('trigger attachment failed', { ...fields, reason: answer.reason, ...error });
  }
  const body = responseDocument(target, {
    Status: answer.status,
    Reason: answer.reason,
    PhysicalResourceId: answer.physicalResourceId,
    ...(answer.data === undefined ? {} : { Data: answer.data }),
  });
  await deliverResponse(target.responseUrl, body);
}

/** Lambda's entry point (template.yaml, `TriggerAttachFunction`). */
export async function handler(event: unknown, context: Context): Promise<void> {
  try {
    await handleCustomResource(event, context);
  } catch (error) {
    logger.error('trigger attachment could not be answered', { error: loggable(error) });
    throw error;
  }
}
