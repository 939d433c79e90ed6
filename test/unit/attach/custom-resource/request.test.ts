import { describe, expect, it } from 'vitest';
import {
  CustomResourceRequestError,
  parseCustomResourceRequest,
  responseTargetOf,
} from '../../../../attach/custom-resource/request.js';
import {
  createEvent,
  deleteEvent,
  propertiesOf,
  REQUEST_ID,
  RESPONSE_URL,
  STACK_ID,
  updateEvent,
} from './requests.js';

const ID = 'cognito-sign-up-triggers|us-east-1_AbC123';

/** `event` without `field`. */
function without(event: Record<string, unknown>, field: string): Record<string, unknown> {
  const { [field]: _removed, ...rest } = event;
  return rest;
}

describe('Custom resource: parseCustomResourceRequest', () => {
  it('reads a Create request as CloudFormation sends it', () => {
    // Prepare
    const event = createEvent();

    // Act
    const request = parseCustomResourceRequest(event);

    // Assess
    expect(request).toEqual({
      responseUrl: RESPONSE_URL,
      stackId: STACK_ID,
      requestId: REQUEST_ID,
      logicalResourceId: 'TriggerAttachment',
      requestType: 'Create',
      physicalResourceId: undefined,
      properties: propertiesOf(),
      oldProperties: undefined,
    });
  });

  it('reads an Update request with its physical id and old properties', () => {
    // Prepare
    const old = propertiesOf({ ReplaceExistingTriggers: 'true' });
    const event = updateEvent(ID, propertiesOf(), old);

    // Act
    const request = parseCustomResourceRequest(event);

    // Assess
    expect({
      requestType: request.requestType,
      physicalResourceId: request.physicalResourceId,
      properties: request.properties,
      oldProperties: request.oldProperties,
    }).toEqual({
      requestType: 'Update',
      physicalResourceId: ID,
      properties: propertiesOf(),
      oldProperties: old,
    });
  });

  it('reads a Delete request with its physical id and no old properties', () => {
    // Prepare
    const event = deleteEvent(ID);

    // Act
    const request = parseCustomResourceRequest(event);

    // Assess
    expect({
      requestType: request.requestType,
      physicalResourceId: request.physicalResourceId,
      oldProperties: request.oldProperties,
    }).toEqual({ requestType: 'Delete', physicalResourceId: ID, oldProperties: undefined });
  });

  it.each([
    ['Create', 'ResponseURL', createEvent()],
    ['Create', 'StackId', createEvent()],
    ['Create', 'RequestId', createEvent()],
    ['Create', 'LogicalResourceId', createEvent()],
    ['Create', 'RequestType', createEvent()],
    ['Create', 'ResourceProperties', createEvent()],
    ['Delete', 'PhysicalResourceId', deleteEvent(ID)],
    ['Update', 'PhysicalResourceId', updateEvent(ID, propertiesOf(), propertiesOf())],
    ['Update', 'OldResourceProperties', updateEvent(ID, propertiesOf(), propertiesOf())],
  ])('refuses a %s request without %s, naming it', (_type, field, event) => {
    // Prepare
    const missing = without(event, field);

    // Act
    const parse = () => parseCustomResourceRequest(missing);

    // Assess
    expect(parse).toThrow(CustomResourceRequestError);
    expect(parse).toThrow(field);
  });

  it.each([
    ['ResponseURL', ''],
    ['ResponseURL', 42],
    ['StackId', null],
    ['RequestId', ['r']],
    ['LogicalResourceId', { id: 'TriggerAttachment' }],
    ['RequestType', 'Replace'],
    ['RequestType', 'create'],
    ['RequestType', 1],
    ['ResourceProperties', 'UserPoolId=us-east-1_AbC123'],
    ['ResourceProperties', [propertiesOf()]],
    ['ResourceProperties', null],
  ])('refuses %s of the wrong type or value (%j), naming it', (field, value) => {
    // Prepare
    const event = createEvent({ [field]: value });

    // Act
    const parse = () => parseCustomResourceRequest(event);

    // Assess
    expect(parse).toThrow(CustomResourceRequestError);
    expect(parse).toThrow(field);
  });

  it.each([
    ['an empty PhysicalResourceId', { PhysicalResourceId: '' }],
    ['a PhysicalResourceId that is not a string', { PhysicalResourceId: 7 }],
    ['OldResourceProperties that are not an object', { OldResourceProperties: '{}' }],
  ])('refuses an Update with %s', (_case, overrides) => {
    // Prepare
    const event = updateEvent(ID, propertiesOf(), propertiesOf(), overrides);
    const field = Object.keys(overrides)[0] ?? '';

    // Act
    const parse = () => parseCustomResourceRequest(event);

    // Assess
    expect(parse).toThrow(CustomResourceRequestError);
    expect(parse).toThrow(field);
  });

  it('ignores a PhysicalResourceId on a Create: CloudFormation sends none, and the create makes its own', () => {
    // Prepare
    const event = createEvent({ PhysicalResourceId: ID });

    // Act
    const request = parseCustomResourceRequest(event);

    // Assess
    expect(request.physicalResourceId).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['a string', 'Create'],
    ['an array', [createEvent()]],
  ])('refuses an event that is %s', (_case, event) => {
    // Prepare
    const input: unknown = event;

    // Act
    const parse = () => parseCustomResourceRequest(input);

    // Assess
    expect(parse).toThrow(CustomResourceRequestError);
    expect(parse).toThrow('not an object');
  });
});

describe('Custom resource: responseTargetOf', () => {
  it('reads where and to whom to answer, whatever else is wrong with the request', () => {
    // Prepare
    const event = createEvent({ RequestType: 'Replace', ResourceProperties: 'x' });

    // Act
    const target = responseTargetOf(event);

    // Assess
    expect(target).toEqual({
      responseUrl: RESPONSE_URL,
      stackId: STACK_ID,
      requestId: REQUEST_ID,
      logicalResourceId: 'TriggerAttachment',
    });
  });

  it('refuses a request without a ResponseURL: it cannot be answered', () => {
    // Prepare
    const event = without(createEvent(), 'ResponseURL');

    // Act
    const read = () => responseTargetOf(event);

    // Assess
    expect(read).toThrow(CustomResourceRequestError);
    expect(read).toThrow('ResponseURL');
  });
});
