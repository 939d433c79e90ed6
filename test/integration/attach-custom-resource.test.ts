/**
 * The `TriggerAttachment` custom resource of template.yaml, end to end: its function bundled with the
 * template's own BuildProperties (as `sam build` does), run on a bare Node.js as Lambda runs it (AWS SDK from
 * `NODE_PATH`, as the runtime provides it), sent CloudFormation's Create / Update / Delete requests, answering
 * on a loopback HTTP server that stands in for the pre-signed S3 response URL, against a pool in moto with
 * every field set (test/support/existing-pools.ts).
 *
 * Each test plays one stack's life as CloudFormation would: the ids it answers are what the next request
 * carries, and a failed create's id is what the rollback's Delete receives.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NOT_ATTACHED } from '../../attach/custom-resource/physical-id.js';
import type { CustomResourceResponse } from '../../attach/custom-resource/respond.js';
import { diffPools } from '../../attach/diff-pools.js';
import { esbuildOptionsFor } from '../../harness/build-functions.js';
import { bundleInvoker } from '../../harness/bundle-invoker.js';
import type { Invoker } from '../../harness/invocation.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { loadTemplate } from '../../harness/template.js';
import { type ResponseServer, startResponseServer } from '../support/cfn-response-server.js';
import { createEveryFieldPool, functionArn, OUR_LINES, OURS, THEIRS } from '../support/existing-pools.js';
import {
  describeWithMoto,
  MOTO_ACCOUNT_ID,
  type MotoServer,
  motoCredentialsEnv,
  startMotoServer,
} from '../support/moto-server.js';

const STACK_ID = `arn:aws:cloudformation:us-east-1:${MOTO_ACCOUNT_ID}:stack/sign-up-triggers/${randomUUID()}`;

/** The response document CloudFormation would read. */
type Response = CustomResourceResponse & { Data?: { UserPoolId: string; ReplacedTriggers: string } };

/** The function's BuildProperties and entry point, as template.yaml declares them. */
function attachFunctionBuild() {
  const resource = (loadTemplate().document.Resources as Record<string, Record<string, unknown>>)
    .TriggerAttachFunction as { Metadata: { BuildProperties: Record<string, unknown> } };
  const buildProperties = resource.Metadata.BuildProperties;
  const [entryPoint] = buildProperties.EntryPoints as string[];
  return { logicalId: 'TriggerAttachFunction', entryPoint: entryPoint ?? '', buildProperties };
}

describeWithMoto('Attach: the TriggerAttachment custom resource, bundled, against moto', () => {
  let moto: MotoServer;
  let client: CognitoIdentityProviderClient;
  let outDir: string;
  let invoker: Invoker;
  let responses: ResponseServer;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'attach-custom-resource-'));
    responses = await startResponseServer();
    moto = await startMotoServer();
    client = new CognitoIdentityProviderClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await build({
      ...esbuildOptionsFor(attachFunctionBuild(), { workingDir: PROJECT_ROOT, outDir }),
      logLevel: 'silent',
    });
    invoker = bundleInvoker({
      bundlePath: join(outDir, 'handler.cjs'),
      exportName: 'handler',
      functionName: 'trigger-attach',
      memoryMb: 256,
      environment: {
        ...motoCredentialsEnv,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: moto.endpoint,
        // Lambda's Node.js runtime provides the AWS SDK on NODE_PATH; the bundle keeps it external.
        NODE_PATH: join(PROJECT_ROOT, 'node_modules'),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await invoker?.close();
    client?.destroy();
    await moto?.stop();
    await responses?.stop();
    if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
  }, 60_000);

  async function describe(userPoolId: string): Promise<UserPoolType> {
    return (await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool ?? {};
  }

  /** A new KMS key of moto's; its ARN. */
  async function createKey(): Promise<string> {
    const kms = new KMSClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'custom sender codes' }));
      if (KeyMetadata?.Arn === undefined) throw new Error('Test bug: moto created no key');
      return KeyMetadata.Arn;
    } finally {
      kms.destroy();
    }
  }

  /** The resource's properties, as template.yaml gives them (every scalar a string). */
  function properties(userPoolId: string, functions: Record<string, string> = OURS, replace = 'false') {
    return {
      ServiceToken: functionArn('trigger-attach'),
      ServiceTimeout: '300',
      UserPoolId: userPoolId,
      Functions: functions,
      ReplaceExistingTriggers: replace,
    };
  }

  /** Sends one request to the function as CloudFormation does, and returns the answer it PUT. */
  async function send(
    requestType: 'Create' | 'Update' | 'Delete',
    fields: {
      ResourceProperties: Record<string, unknown>;
      OldResourceProperties?: Record<string, unknown>;
      PhysicalResourceId?: string;
    },
  ): Promise<Response> {
    const requestId = randomUUID();
    const path = `/cloudformation-responses/${requestId}?X-Amz-Signature=secret-${requestId}`;
    const result = await invoker.invoke(
      {
        RequestType: requestType,
        ServiceToken: functionArn('trigger-attach'),
        ResponseURL: `${responses.origin}${path}`,
        StackId: STACK_ID,
        RequestId: requestId,
        LogicalResourceId: 'TriggerAttachment',
        ResourceType: 'Custom::CognitoTriggerAttachment',
        ...fields,
      },
      120_000,
    );
    const answer = responses.requests.find((request) => request.url === path);
    if (answer === undefined) throw new Error(`no answer (${result.kind}): ${result.logs.join('\n')}`);
    const body = JSON.parse(answer.body) as Response;
    // The response URL is a credential: no log line may hold it.
    expect(result.logs.filter((line) => line.includes('X-Amz-Signature'))).toEqual([]);
    expect({ method: answer.method, contentType: answer.headers['content-type'] }).toEqual({
      method: 'PUT',
      contentType: '',
    });
    expect({ stack: body.StackId, request: body.RequestId }).toEqual({
      stack: STACK_ID,
      request: requestId,
    });
    return body;
  }

  it('create attaches (the pool differs only in our slots), delete detaches (the pool equals the original)', async () => {
    // Prepare
    const userPoolId = await createEveryFieldPool(client);
    const original = await describe(userPoolId);

    // Act
    const created = await send('Create', { ResourceProperties: properties(userPoolId) });
    const attached = await describe(userPoolId);
    const deleted = await send('Delete', {
      ResourceProperties: properties(userPoolId),
      PhysicalResourceId: created.PhysicalResourceId,
    });
    const detached = await describe(userPoolId);

    // Assess
    expect({ created: created.Status, data: created.Data, deleted: deleted.Status }).toEqual({
      created: 'SUCCESS',
      data: { UserPoolId: userPoolId, ReplacedTriggers: 'none' },
      deleted: 'SUCCESS',
    });
    expect(diffPools(original, attached)).toEqual(OUR_LINES);
    expect(detached).toEqual(original);
  });

  it("refuses another team's trigger on our slot: the create fails naming it, and its rollback changes nothing", async () => {
    // Prepare
    const userPoolId = await createEveryFieldPool(client, { PreSignUp: THEIRS });
    const original = await describe(userPoolId);

    // Act
    const created = await send('Create', { ResourceProperties: properties(userPoolId) });
    const rollback = await send('Delete', {
      ResourceProperties: properties(userPoolId),
      PhysicalResourceId: created.PhysicalResourceId,
    });
    const after = await describe(userPoolId);

    // Assess
    expect({
      status: created.Status,
      id: created.PhysicalResourceId,
      rollback: rollback.Status,
    }).toEqual({ status: 'FAILED', id: NOT_ATTACHED, rollback: 'SUCCESS' });
    expect(created.Reason).toContain(`LambdaConfig.PreSignUp holds ${THEIRS}`);
    expect(created.Reason).toContain('ReplaceExistingTriggers');
    expect(after).toEqual(original);
  });

  it('with ReplaceExistingTriggers, records what it replaced, follows new function versions, and puts it back on delete', async () => {
    // Prepare
    const userPoolId = await createEveryFieldPool(client, { PreSignUp: THEIRS });
    const original = await describe(userPoolId);
    const newer = {
      ...OURS,
      PreSignUp: `${OURS.PreSignUp}:2`,
      PostConfirmation: `${OURS.PostConfirmation}:2`,
    };

    // Act
    const created = await send('Create', { ResourceProperties: properties(userPoolId, OURS, 'true') });
    const updated = await send('Update', {
      ResourceProperties: properties(userPoolId, newer, 'true'),
      OldResourceProperties: properties(userPoolId, OURS, 'true'),
      PhysicalResourceId: created.PhysicalResourceId,
    });
    const during = await describe(userPoolId);
    const deleted = await send('Delete', {
      ResourceProperties: properties(userPoolId, newer, 'true'),
      PhysicalResourceId: updated.PhysicalResourceId,
    });
    const after = await describe(userPoolId);

    // Assess
    expect({
      created: created.Status,
      replaced: created.Data?.ReplacedTriggers,
      updated: updated.Status,
      sameId: updated.PhysicalResourceId === created.PhysicalResourceId,
      deleted: deleted.Status,
    }).toEqual({
      created: 'SUCCESS',
      replaced: `PreSignUp=${THEIRS}`,
      updated: 'SUCCESS',
      sameId: true,
      deleted: 'SUCCESS',
    });
    expect({
      PreSignUp: during.LambdaConfig?.PreSignUp,
      CustomMessage: during.LambdaConfig?.CustomMessage,
      PostConfirmation: during.LambdaConfig?.PostConfirmation,
    }).toEqual(newer);
    expect(after).toEqual(original);
  });

  it('moves to another pool on an update (a new id), and the Delete CloudFormation then sends for the old id restores the old pool', async () => {
    // Prepare
    const first = await createEveryFieldPool(client);
    const second = await createEveryFieldPool(client);
    const [firstOriginal, secondOriginal] = [await describe(first), await describe(second)];
    const created = await send('Create', { ResourceProperties: properties(first) });

    // Act
    const updated = await send('Update', {
      ResourceProperties: properties(second),
      OldResourceProperties: properties(first),
      PhysicalResourceId: created.PhysicalResourceId,
    });
    const cleanup = await send('Delete', {
      ResourceProperties: properties(first),
      PhysicalResourceId: created.PhysicalResourceId,
    });
    const [firstAfter, secondAfter] = [await describe(first), await describe(second)];

    // Assess
    expect({
      updated: updated.Status,
      newId: updated.PhysicalResourceId !== created.PhysicalResourceId,
      pool: updated.Data?.UserPoolId,
      cleanup: cleanup.Status,
    }).toEqual({ updated: 'SUCCESS', newId: true, pool: second, cleanup: 'SUCCESS' });
    expect(firstAfter).toEqual(firstOriginal);
    expect(diffPools(secondOriginal, secondAfter)).toEqual(OUR_LINES);
  });

  it('fails clearly, changing nothing, for a pool that does not exist and for a misspelt property', async () => {
    // Prepare
    const missing = 'us-east-1_NoSuchPool1';
    const userPoolId = await createEveryFieldPool(client);
    const original = await describe(userPoolId);

    // Act
    const unknownPool = await send('Create', { ResourceProperties: properties(missing) });
    const misspelt = await send('Create', {
      ResourceProperties: { ...properties(userPoolId), ReplaceExistingTrigger: 'true' },
    });
    const after = await describe(userPoolId);

    // Assess
    expect([unknownPool, misspelt].map((answer) => [answer.Status, answer.PhysicalResourceId])).toEqual([
      ['FAILED', NOT_ATTACHED],
      ['FAILED', NOT_ATTACHED],
    ]);
    expect(unknownPool.Reason).toContain(`User pool ${missing} does not exist in us-east-1`);
    expect(misspelt.Reason).toContain('unknown ReplaceExistingTrigger');
    expect(after).toEqual(original);
  });

  it('with MessageDelivery CustomSenders, attaches both senders and the key over theirs, and delete puts theirs back', async () => {
    // Prepare
    const userPoolId = await createEveryFieldPool(client);
    const original = await describe(userPoolId);
    const kmsKeyId = await createKey();
    const senders = {
      PreSignUp: OURS.PreSignUp,
      PostConfirmation: OURS.PostConfirmation,
      CustomEmailSender: functionArn('ours-email-sender'),
      CustomSMSSender: functionArn('ours-sms-sender'),
    };
    const resourceProperties = { ...properties(userPoolId, senders, 'true'), KMSKeyID: kmsKeyId };

    // Act
    const created = await send('Create', { ResourceProperties: resourceProperties });
    const attached = await describe(userPoolId);
    const deleted = await send('Delete', {
      ResourceProperties: resourceProperties,
      PhysicalResourceId: created.PhysicalResourceId,
    });
    const detached = await describe(userPoolId);

    // Assess
    expect({ created: created.Status, reason: created.Reason, deleted: deleted.Status }).toEqual({
      created: 'SUCCESS',
      reason: expect.stringContaining('Attached'),
      deleted: 'SUCCESS',
    });
    expect(created.Data?.ReplacedTriggers).toBe(
      `CustomEmailSender=${functionArn('their-email-sender')}, KMSKeyID=${original.LambdaConfig?.KMSKeyID}`,
    );
    expect(attached.LambdaConfig).toMatchObject({
      CustomEmailSender: { LambdaArn: senders.CustomEmailSender, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: senders.CustomSMSSender, LambdaVersion: 'V1_0' },
      KMSKeyID: kmsKeyId,
    });
    expect(detached).toEqual(original);
  });
});
