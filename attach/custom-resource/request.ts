/**
 * The requests CloudFormation sends a Lambda-backed custom resource (`Create`, `Update`, `Delete`), read from
 * the untyped event and checked field by field. The fields needed to answer at all (where and to whom) are
 * checked first and apart: without them no answer can be sent, so that request can only fail the invocation.
 */
import { AttachError } from '../errors.js';

/** The three request types. */
export type RequestType = 'Create' | 'Update' | 'Delete';

/** Who to answer, and where: enough to send a response, whatever else is wrong with the request. */
export type ResponseTarget = {
  /** The pre-signed S3 URL the response is PUT to. A credential: never logged. */
  responseUrl: string;
  stackId: string;
  requestId: string;
  logicalResourceId: string;
};

/** One checked request. */
export type CustomResourceRequest = ResponseTarget & {
  requestType: RequestType;
  /** The id this resource answered earlier: `Update` and `Delete` only. */
  physicalResourceId: string | undefined;
  /** `ResourceProperties`, values as CloudFormation passes them (strings, lists, maps). */
  properties: Readonly<Record<string, unknown>>;
  /** `OldResourceProperties`: `Update` only. */
  oldProperties: Readonly<Record<string, unknown>> | undefined;
};

/** An event that is not a custom resource request, or one missing a field its type needs. */
export class CustomResourceRequestError extends AttachError {
  public constructor(problem: string, options?: ErrorOptions) {
    super(`Not a CloudFormation custom resource request: ${problem}`, options);
    this.name = 'CustomResourceRequestError';
  }
}

const REQUEST_TYPES: readonly string[] = ['Create', 'Update', 'Delete'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textField(event: Record<string, unknown>, name: string): string {
  const value = event[name];
  if (typeof value !== 'string' || value === '') {
    throw new CustomResourceRequestError(`${name} must be a non-empty string`);
  }
  return value;
}

/**
 * Where to answer `event`.
 * @throws CustomResourceRequestError when `ResponseURL`, `StackId`, `RequestId` or `LogicalResourceId` is
 * missing: the request cannot be answered.
 */
export function responseTargetOf(event: unknown): ResponseTarget {
  if (!isRecord(event)) throw new CustomResourceRequestError('the event is not an object');
  return {
    responseUrl: textField(event, 'ResponseURL'),
    stackId: textField(event, 'StackId'),
    requestId: textField(event, 'RequestId'),
    logicalResourceId: textField(event, 'LogicalResourceId'),
  };
}

/**
 * The request `event` carries.
 * @throws CustomResourceRequestError naming the first field that is missing or of the wrong type.
 */
export function parseCustomResourceRequest(event: unknown): CustomResourceRequest {
  const target = responseTargetOf(event);
  const fields = event as Record<string, unknown>;
  const requestType = fields.RequestType;
  if (typeof requestType !== 'string' || !REQUEST_TYPES.includes(requestType)) {
    throw new CustomResourceRequestError(
      `RequestType must be Create, Update or Delete, not ${JSON.stringify(requestType)}`,
    );
  }
  const properties = fields.ResourceProperties;
  if (!isRecord(properties)) throw new CustomResourceRequestError('ResourceProperties must be an object');
  const physicalResourceId = requestType === 'Create' ? undefined : textField(fields, 'PhysicalResourceId');
  let oldProperties: Record<string, unknown> | undefined;
  if (requestType === 'Update') {
    if (!isRecord(fields.OldResourceProperties)) {
      throw new CustomResourceRequestError('OldResourceProperties must be an object in an Update');
    }
    oldProperties = fields.OldResourceProperties;
  }
  return {
    ...target,
    requestType: requestType as RequestType,
    physicalResourceId,
    properties,
    oldProperties,
  };
}
