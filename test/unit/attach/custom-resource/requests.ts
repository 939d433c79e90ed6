/**
 * CloudFormation custom resource requests for the `TriggerAttachment` resource, in the shape CloudFormation
 * sends them (every scalar property a string, `ServiceToken` and `ServiceTimeout` among the properties), with
 * obviously fake values. Builders clone the base request and override only what a test is about.
 */
import type { CustomResourceRequest } from '../../../../attach/custom-resource/request.js';
import { parseCustomResourceRequest } from '../../../../attach/custom-resource/request.js';
import { ACCOUNT, functionArn, OURS } from '../pools.js';

/** The pool of `everyFieldPool()`. */
export const POOL_ID = 'us-east-1_AbC123';

/** Another pool of the same account and Region. */
export const OTHER_POOL_ID = 'us-east-1_XyZ789';

export const STACK_ID = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/sign-up/5b3c1a70-0000-11ef-9d2e-0a1b2c3d4e5f`;

export const REQUEST_ID = '1f9c5d8e-3b2a-4c6d-8e7f-9a0b1c2d3e4f';

/** The pre-signed URL's query string: the credential that must never reach a message or a log. */
export const PRESIGNED_QUERY =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260102T030405Z&X-Amz-SignedHeaders=host&X-Amz-Expires=7199' +
  '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260102%2Fus-east-1%2Fs3%2Faws4_request' +
  '&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

/** The path CloudFormation's pre-signed response URLs have: the stack, the resource, the request. */
export const RESPONSE_PATH = `/${encodeURIComponent(`${STACK_ID}|TriggerAttachment|${REQUEST_ID}`)}`;

export const RESPONSE_URL = `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com${RESPONSE_PATH}?${PRESIGNED_QUERY}`;

const SERVICE_TOKEN = functionArn('sign-up-TriggerAttachFunction-AbCdEf12');

/** The resource's properties as template.yaml declares them. */
export function propertiesOf(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ServiceToken: SERVICE_TOKEN,
    ServiceTimeout: '300',
    UserPoolId: POOL_ID,
    Functions: { ...OURS },
    ReplaceExistingTriggers: 'false',
    ...overrides,
  };
}

const CREATE_EVENT = {
  RequestType: 'Create',
  ServiceToken: SERVICE_TOKEN,
  ResponseURL: RESPONSE_URL,
  StackId: STACK_ID,
  RequestId: REQUEST_ID,
  LogicalResourceId: 'TriggerAttachment',
  ResourceType: 'Custom::CognitoTriggerAttachment',
  ResourceProperties: propertiesOf(),
} as const;

/** A `Create` request, with `overrides` on its top-level fields. */
export function createEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(CREATE_EVENT), ...overrides };
}

/** An `Update` request: CloudFormation sends the id answered last and the old properties beside the new. */
export function updateEvent(
  physicalResourceId: string,
  properties: Record<string, unknown>,
  oldProperties: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return createEvent({
    RequestType: 'Update',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties,
    OldResourceProperties: oldProperties,
    ...overrides,
  });
}

/** A `Delete` request: only the properties and the id answered last, never an earlier answer's `Data`. */
export function deleteEvent(
  physicalResourceId: string,
  properties: Record<string, unknown> = propertiesOf(),
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return createEvent({
    RequestType: 'Delete',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties,
    ...overrides,
  });
}

/** `event` parsed, for the functions that take a checked request. */
export function requestOf(event: Record<string, unknown>): CustomResourceRequest {
  return parseCustomResourceRequest(event);
}
