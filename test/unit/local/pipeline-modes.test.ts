/**
 * `npm start` (local/pipeline.ts) on `template.yaml` in existing-pool mode: the template creates no pool, so
 * the pipeline provisions its own, as the pool the triggers are attached to, and a sign-up through it runs
 * the template's functions, whose metrics documents the live log counts. A template with no trigger function is refused before anything starts.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemplateError } from '../../../harness/errors.js';
import { type Pipeline, startPipeline } from '../../../local/pipeline.js';
import {
  EXAMPLE_POOL_ID,
  NO_TRIGGER_TEMPLATE,
  writeExistingPoolTemplate,
} from '../harness/template-copies.js';

const scratch = mkdtempSync(join(tmpdir(), 'pipeline-modes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe(`Local: npm start on template.yaml in existing-pool mode (${EXAMPLE_POOL_ID})`, () => {
  const project = join(scratch, 'existing-pool');
  const lines: string[] = [];
  let pipeline: Pipeline | undefined;
  let cognito: CognitoIdentityProviderClient | undefined;

  beforeAll(async () => {
    const templateFile = writeExistingPoolTemplate(project);
    pipeline = await startPipeline({
      templateFile,
      distDir: join(project, 'dist'),
      dataDir: join(project, 'data'),
      // Verbose: the functions' log lines are printed too, all but their metrics documents.
      verbose: true,
      write: (text) => lines.push(...text.split('\n').filter((line) => line !== '')),
    });
    cognito = new CognitoIdentityProviderClient({
      region: pipeline.state.region,
      endpoint: pipeline.state.endpoints.cognito,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }, 120_000);
  afterAll(async () => {
    cognito?.destroy();
    await pipeline?.stop();
  });

  it('says the local pool stands in for the existing one, with the settings of the pool the template declares', () => {
    // Prepare
    const expected =
      "template.yaml creates no user pool (it attaches to an existing one): locally the triggers are attached to a pool with UserPool's settings";

    // Act
    const said = lines.filter((line) => line.includes('creates no user pool'));

    // Assess
    expect(said).toEqual([expected]);
  });

  it("attaches the template's three functions to the local pool, which has a client with and one without a secret", () => {
    // Prepare
    const state = pipeline?.state;

    // Act
    const seen = {
      functions: state?.functions,
      clients: state?.clients.map((client) => [client.name, client.clientSecret !== undefined]),
    };

    // Assess
    expect(seen).toEqual({
      functions: {
        PreSignUp: 'PreSignUpFunction',
        CustomMessage: 'CustomMessageFunction',
        PostConfirmation: 'PostConfirmationFunction',
      },
      clients: [
        ['public', false],
        ['confidential', true],
      ],
    });
  });

  it('runs pre sign-up and custom message for a sign-up through the local pool', async () => {
    // Prepare
    const email = `existing-pool-${Date.now()}@example.com`;
    const state = pipeline?.state;
    if (state === undefined || cognito === undefined) throw new Error('the pipeline did not start');

    // Act
    await cognito.send(
      new SignUpCommand({
        ClientId: state.clientId,
        Username: email,
        Password: 'Correct-Horse-42',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: state.userPoolId, Username: email }),
    );

    // Assess
    const invoked = lines.filter((line) => /PreSignUp_SignUp|CustomMessage_SignUp/.test(line));
    expect({
      status: user.UserStatus,
      preSignUp: invoked.some((line) => line.includes('PreSignUp_SignUp')),
      customMessage: invoked.some((line) => line.includes('CustomMessage_SignUp')),
    }).toEqual({ status: 'UNCONFIRMED', preSignUp: true, customMessage: true });
  });

  it("counts the functions' metrics documents of that sign-up instead of printing them", () => {
    // Prepare
    const metrics = pipeline?.metrics;

    // Act
    const counted = metrics?.snapshot();

    // Assess
    expect({
      logLines: lines.some((line) => line.trim().startsWith('log: {')),
      metricsLines: lines.filter((line) => line.includes('"_aws"')),
      preSignUp: counted?.PreSignUp?.invocations,
      customMessage: counted?.CustomMessage?.invocations,
      summary: metrics?.summary()[0],
    }).toEqual({
      logLines: true,
      metricsLines: [],
      preSignUp: 1,
      customMessage: 1,
      summary: "Counters of this run (the functions' own metrics documents, as CloudWatch would count them):",
    });
  });
});

describe('Local: npm start on a template with no trigger function', () => {
  it('refuses to start, saying how trigger functions are found, and leaves no data behind', async () => {
    // Prepare
    const project = mkdtempSync(join(scratch, 'no-trigger-'));
    const templateFile = join(project, 'template.yaml');
    writeFileSync(templateFile, NO_TRIGGER_TEMPLATE);
    const dataDir = join(project, 'data');

    // Act
    const start = startPipeline({ templateFile, dataDir, distDir: join(project, 'dist'), write: () => {} });

    // Assess
    await expect(start).rejects.toThrow(TemplateError);
    await expect(start).rejects.toThrow(/hold no trigger function: no AWS::Serverless::Function names/);
    expect(existsSync(join(project, 'dist'))).toBe(false);
  });
});
