// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates, not JS templates

/**
 * `template.yaml`'s two modes: a pool of its own (ExistingUserPoolId empty, the default) and an existing pool
 * (ExistingUserPoolId set). Both pass cfn-lint; in existing-pool mode the stack creates no pool or client,
 * Cognito may invoke each function from that pool and this account only, and pool-scoped IAM names that pool;
 * `samconfig.toml` deploys either.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conditionValue,
  createResolver,
  referencedLogicalIds,
  resolveValue,
  selectConditions,
  UNRESOLVED,
} from '../../harness/intrinsics.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import {
  DEFAULT_TEMPLATE_PATH,
  loadTemplate,
  parseTemplate,
  resourceIsCreated,
  type TemplateModel,
} from '../../harness/template.js';
import { cfnLint, cfnLintRunsHere } from '../support/cfn-lint.js';
import {
  EXAMPLE_POOL_ARN,
  EXAMPLE_POOL_ID,
  existingPoolTemplateText,
  withParameterDefaults,
} from './harness/template-copies.js';

/** The pool the permissions and IAM name: the stack's own, or ExistingUserPoolId's. */
const SERVED_POOL_ARN = {
  'Fn::If': [
    'CreatesUserPool',
    { 'Fn::GetAtt': ['UserPool', 'Arn'] },
    {
      'Fn::Sub':
        'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${ExistingUserPoolId}',
    },
  ],
};

type Resource = {
  Type: string;
  Condition?: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
};

const scratch = mkdtempSync(join(tmpdir(), 'template-modes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const newPool = loadTemplate();
const existingPoolPath = join(scratch, 'template.existing-pool.yaml');
writeFileSync(existingPoolPath, existingPoolTemplateText());
const existingPool = parseTemplate(readFileSync(existingPoolPath, 'utf8'), existingPoolPath);
// Existing-pool mode with the custom resource's SMS role set, and without the custom resource.
const SMS_ROLE_ARN = 'arn:aws:iam::123456789012:role/service-role/CognitoSmsRole-1';
const smsRolePath = join(scratch, 'template.sms-role.yaml');
writeFileSync(
  smsRolePath,
  existingPoolTemplateText(EXAMPLE_POOL_ID, { ExistingUserPoolSmsRoleArn: SMS_ROLE_ARN }),
);
const smsRole = parseTemplate(readFileSync(smsRolePath, 'utf8'), smsRolePath);
const cliAttachPath = join(scratch, 'template.cli-attach.yaml');
writeFileSync(cliAttachPath, existingPoolTemplateText(EXAMPLE_POOL_ID, { AttachTriggers: 'false' }));
const cliAttach = parseTemplate(readFileSync(cliAttachPath, 'utf8'), cliAttachPath);
// New-pool mode with the custom senders delivering every message (docs/custom-senders.md).
const sendersPath = join(scratch, 'template.custom-senders.yaml');
writeFileSync(
  sendersPath,
  withParameterDefaults(readFileSync(DEFAULT_TEMPLATE_PATH, 'utf8'), {
    MessageDelivery: 'CustomSenders',
    SenderFromAddress: 'Example <no-reply@example.com>',
    SenderSesIdentity: 'example.com',
  }),
);
const senders = parseTemplate(readFileSync(sendersPath, 'utf8'), sendersPath);
// Existing-pool mode with the custom senders: the attachment attaches them and their key.
const existingSendersPath = join(scratch, 'template.existing-pool-custom-senders.yaml');
writeFileSync(
  existingSendersPath,
  existingPoolTemplateText(EXAMPLE_POOL_ID, {
    MessageDelivery: 'CustomSenders',
    SenderFromAddress: 'Example <no-reply@example.com>',
    SenderSesIdentity: 'example.com',
  }),
);
const existingSenders = parseTemplate(readFileSync(existingSendersPath, 'utf8'), existingSendersPath);

/** The resources that exist only with `MessageDelivery` CustomSenders, in either mode. */
const SENDER_CONDITION = 'HasCustomSenders';

/** The resources of the custom resource that attaches the functions to an existing pool. */
const ATTACHMENT_RESOURCES = [
  'TriggerAttachment',
  'TriggerAttachFunction',
  'TriggerAttachPolicy',
  'TriggerAttachLogGroup',
];

function resourcesOf(model: TemplateModel): Record<string, Resource> {
  return model.document.Resources as Record<string, Resource>;
}

/** A value as the stack would see it with the template's defaults (pseudo parameters as `sam local`'s). */
function resolvedIn(model: TemplateModel, value: unknown): unknown {
  return resolveValue(value, createResolver(model.path, model.document));
}

/** The created `AWS::Lambda::Permission`s that let `principal` invoke the function `logicalId`. */
function permissionsFor(model: TemplateModel, logicalId: string, principal: string): Resource[] {
  return Object.entries(resourcesOf(model))
    .filter(
      ([id, resource]) =>
        resource.Type === 'AWS::Lambda::Permission' &&
        resourceIsCreated(model, id) &&
        resolvedIn(model, resource.Properties?.Principal) === principal &&
        JSON.stringify(resource.Properties?.FunctionName) === JSON.stringify({ Ref: logicalId }),
    )
    .map(([, resource]) => resource);
}

/** Every IAM statement of the template's `AWS::IAM::Policy`s that allows a `cognito-idp:` action. */
function cognitoStatementsOf(
  model: TemplateModel,
): Array<{ policy: string; statement: Record<string, unknown> }> {
  return Object.entries(resourcesOf(model)).flatMap(([policy, resource]) => {
    if (resource.Type !== 'AWS::IAM::Policy') return [];
    // The attach function's policy exists in existing-pool mode only, the email sender's with custom senders
    // only (checked in their own describe); the others are checked declared.
    const conditional = ATTACHMENT_RESOURCES.includes(policy) || resource.Condition === SENDER_CONDITION;
    if (conditional && !resourceIsCreated(model, policy)) return [];
    const document = resource.Properties?.PolicyDocument as { Statement?: unknown[] } | undefined;
    return (document?.Statement ?? [])
      .filter((statement): statement is Record<string, unknown> => {
        const actions = [(statement as { Action?: unknown }).Action].flat();
        return actions.some((action) => typeof action === 'string' && action.startsWith('cognito-idp:'));
      })
      .map((statement) => ({ policy, statement }));
  });
}

describe('Template modes: cfn-lint', () => {
  const hasCfnLint = cfnLintRunsHere('cfn-lint on template.yaml in both modes');
  // One run over both files (cfn-lint's start and SAM's transform take seconds); parseable lines name the file.
  let lines: string[] = [];
  let status: number | null = null;
  beforeAll(() => {
    if (!hasCfnLint) return;
    const files = [
      DEFAULT_TEMPLATE_PATH,
      existingPoolPath,
      smsRolePath,
      cliAttachPath,
      sendersPath,
      existingSendersPath,
    ];
    ({ status, lines } = cfnLint(files));
  }, 60_000);

  it.runIf(hasCfnLint)('finds nothing in new-pool mode (template.yaml as it is)', () => {
    // Prepare
    const file = DEFAULT_TEMPLATE_PATH;

    // Act
    const findings = lines.filter((line) => line.startsWith(file));

    // Assess
    expect(findings).toEqual([]);
  });

  it.runIf(hasCfnLint)(`finds nothing in existing-pool mode (ExistingUserPoolId ${EXAMPLE_POOL_ID})`, () => {
    // Prepare
    const file = existingPoolPath;

    // Act
    const findings = lines.filter((line) => line.startsWith(file));

    // Assess
    expect({ findings, status }).toEqual({ findings: [], status: 0 });
  });

  it.runIf(hasCfnLint)(
    'finds nothing with an SMS role for the attach function, or with AttachTriggers false',
    () => {
      // Prepare
      const files = [smsRolePath, cliAttachPath];

      // Act
      const findings = lines.filter((line) => files.some((file) => line.startsWith(file)));

      // Assess
      expect(findings).toEqual([]);
    },
  );

  it.runIf(hasCfnLint)('finds nothing in existing-pool mode with MessageDelivery CustomSenders', () => {
    // Prepare
    const file = existingSendersPath;

    // Act
    const findings = lines.filter((line) => line.startsWith(file));

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('Template modes: MessageDelivery CustomSenders (new pool)', () => {
  const resolver = createResolver(senders.path, senders.document);
  const resources = resourcesOf(senders);

  it.runIf(cfnLintRunsHere('cfn-lint on the custom senders variant'))('passes cfn-lint', () => {
    // Act
    const { lines } = cfnLint([sendersPath]);

    // Assess
    expect(lines).toEqual([]);
  });

  it('wires both senders with LambdaVersion V1_0 and the stack key, and leaves custom message out (contract §3)', () => {
    // Act
    const lambdaConfig = selectConditions(resources.UserPool?.Properties?.LambdaConfig, resolver);

    // Assess
    expect(lambdaConfig).toEqual({
      PreSignUp: { 'Fn::GetAtt': ['PreSignUpFunction', 'Arn'] },
      PostConfirmation: { 'Fn::GetAtt': ['PostConfirmationFunction', 'Arn'] },
      CustomEmailSender: {
        LambdaArn: { 'Fn::GetAtt': ['CustomEmailSenderFunction', 'Arn'] },
        LambdaVersion: 'V1_0',
      },
      CustomSMSSender: {
        LambdaArn: { 'Fn::GetAtt': ['CustomSmsSenderFunction', 'Arn'] },
        LambdaVersion: 'V1_0',
      },
      KMSKeyID: { 'Fn::GetAtt': ['CodeKey', 'Arn'] },
    });
  });

  it('finds both sender functions for the build, by the trigger each serves', () => {
    // Act
    const found = senders.senderFunctions.map((spec) => [spec.logicalId, spec.trigger, spec.timeoutSeconds]);

    // Assess
    expect(found).toEqual([
      ['CustomEmailSenderFunction', 'CustomEmailSender', 30],
      ['CustomSmsSenderFunction', 'CustomSMSSender', 30],
    ]);
  });

  it.each([['CustomEmailSenderFunction'], ['CustomSmsSenderFunction']])(
    'lets %s decrypt with the stack key only, sends its failures to the queue, and never names the pool',
    (logicalId) => {
      // Prepare
      const properties = resources[logicalId]?.Properties as Record<string, unknown>;
      const statements = (properties.Policies as { Statement: { Action: unknown; Resource: unknown }[] }[])[0]
        ?.Statement;

      // Act
      const decrypt = statements?.filter((statement) => JSON.stringify(statement.Action).includes('kms:'));
      const references = [...referencedLogicalIds(properties)].sort();

      // Assess
      expect(decrypt).toEqual([
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['CodeKey', 'Arn'] } },
      ]);
      expect(properties.EventInvokeConfig).toEqual({
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['SenderFailureQueue', 'Arn'] } },
        },
      });
      expect(references).not.toContain('UserPool');
    },
  );

  it('lets the email sender look a user up (AdminGetUser, for the account-takeover notification) on the served pool only', () => {
    // Act
    const statements = (
      resources.CustomEmailSenderCognitoPolicy?.Properties?.PolicyDocument as
        | { Statement?: unknown[] }
        | undefined
    )?.Statement;

    // Assess
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'cognito-idp:AdminGetUser',
        Resource: SERVED_POOL_ARN,
      },
    ]);
  });

  it('creates none of the sender resources with the default MessageDelivery', () => {
    // Prepare
    const ids = Object.entries(resourcesOf(newPool))
      .filter(([, resource]) => resource.Condition === SENDER_CONDITION)
      .map(([id]) => id);
    const defaults = createResolver(newPool.path, newPool.document);

    // Act
    const created = ids.filter((id) => resourceIsCreated(newPool, id));

    // Assess
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(created).toEqual([]);
    expect(conditionValue(SENDER_CONDITION, defaults)).toBe(false);
    expect(conditionValue('UsesCustomSenders', defaults)).toBe(false);
  });
});

describe('Template modes: new-pool mode (ExistingUserPoolId empty)', () => {
  it('creates the user pool and its two app clients', () => {
    // Prepare
    const ids = ['UserPool', 'PublicClient', 'ConfidentialClient'];

    // Act
    const created = ids.filter((id) => resourceIsCreated(newPool, id));

    // Assess
    expect(created).toEqual(ids);
  });

  it("wires every trigger function into the pool's LambdaConfig (MessageDelivery's default, CustomMessage)", () => {
    // Prepare
    const lambdaConfig = selectConditions(
      resourcesOf(newPool).UserPool?.Properties?.LambdaConfig,
      createResolver(newPool.path, newPool.document),
    );

    // Act
    const wired = Object.fromEntries(
      newPool.functions.map((spec) => [spec.trigger, { 'Fn::GetAtt': [spec.logicalId, 'Arn'] }]),
    );

    // Assess
    expect(lambdaConfig).toEqual(wired);
  });

  it.each(newPool.functions.map((spec) => [spec.logicalId] as const))(
    'lets Cognito invoke %s from the new pool and this account only',
    (logicalId) => {
      // Prepare
      const principal = 'cognito-idp.amazonaws.com';

      // Act
      const permissions = permissionsFor(newPool, logicalId, principal);

      // Assess
      expect(permissions.map((permission) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { Ref: logicalId },
          Principal: principal,
          SourceAccount: { Ref: 'AWS::AccountId' },
          SourceArn: SERVED_POOL_ARN,
        },
      ]);
    },
  );

  it('scopes every cognito-idp statement to the new pool', () => {
    // Prepare
    const statements = cognitoStatementsOf(newPool);

    // Act
    const resources = statements.map(({ policy, statement }) => [policy, statement.Resource]);

    // Assess
    expect(resources).toEqual([
      ['PreSignUpCognitoPolicy', SERVED_POOL_ARN],
      ['PostConfirmationCognitoPolicy', SERVED_POOL_ARN],
    ]);
  });
});

describe(`Template modes: existing-pool mode (ExistingUserPoolId ${EXAMPLE_POOL_ID})`, () => {
  it('creates no Cognito resource: no user pool, no app client', () => {
    // Prepare
    const cognito = Object.entries(resourcesOf(existingPool)).filter(([, resource]) =>
      resource.Type.startsWith('AWS::Cognito::'),
    );

    // Act
    const created = cognito.filter(([id]) => resourceIsCreated(existingPool, id)).map(([id]) => id);

    // Assess
    expect({ declared: cognito.length > 0, created }).toEqual({ declared: true, created: [] });
  });

  it('has the same three trigger functions as new-pool mode', () => {
    // Prepare
    const expected = newPool.functions.map((spec) => [spec.logicalId, spec.trigger]);

    // Act
    const found = existingPool.functions.map((spec) => [spec.logicalId, spec.trigger]);

    // Assess
    expect(found).toEqual(expected);
  });

  it.each(existingPool.functions.map((spec) => [spec.logicalId] as const))(
    'lets Cognito invoke %s from that pool and this account only',
    (logicalId) => {
      // Prepare
      const principal = 'cognito-idp.amazonaws.com';

      // Act
      const permissions = permissionsFor(existingPool, logicalId, principal).map((permission) =>
        Object.fromEntries(
          Object.entries(permission.Properties ?? {}).map(([key, value]) => [
            key,
            resolvedIn(existingPool, value),
          ]),
        ),
      );

      // Assess
      expect(permissions).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          Principal: principal,
          SourceAccount: '123456789012',
          SourceArn: EXAMPLE_POOL_ARN,
          // The function's name is known after a deployment only.
          FunctionName: UNRESOLVED,
        },
      ]);
    },
  );

  it("scopes every cognito-idp statement to that pool's ARN", () => {
    // Prepare
    const statements = cognitoStatementsOf(existingPool);

    // Act
    const resources = statements.map(({ policy, statement }) => [
      policy,
      resolvedIn(existingPool, statement.Resource),
    ]);

    // Assess
    expect(resources).toEqual([
      ['TriggerAttachPolicy', EXAMPLE_POOL_ARN],
      ['PreSignUpCognitoPolicy', EXAMPLE_POOL_ARN],
      ['PostConfirmationCognitoPolicy', EXAMPLE_POOL_ARN],
    ]);
  });

  it('grants the functions themselves no cognito-idp action: pool-scoped IAM stays in separate policies (contract §7)', () => {
    // Prepare
    const functions = existingPool.functions.map((spec) => resourcesOf(existingPool)[spec.logicalId]);

    // Act
    const inline = JSON.stringify(functions.map((resource) => resource?.Properties?.Policies ?? []));

    // Assess
    expect(inline).not.toContain('cognito-idp:');
  });

  it("outputs that pool's id and ARN, and no app client", () => {
    // Prepare
    const outputs = existingPool.document.Outputs as Record<string, { Condition?: string; Value: unknown }>;
    const resolver = createResolver(existingPool.path, existingPool.document);

    // Act
    const seen = {
      id: resolvedIn(existingPool, outputs.UserPoolId?.Value),
      arn: resolvedIn(existingPool, outputs.UserPoolArn?.Value),
      clients: ['PublicClientId', 'ConfidentialClientId'].filter(
        (name) => conditionValue(outputs[name]?.Condition ?? '', resolver) !== false,
      ),
    };

    // Assess
    expect(seen).toEqual({ id: EXAMPLE_POOL_ID, arn: EXAMPLE_POOL_ARN, clients: [] });
  });
});

describe('Template modes: the trigger attachment (custom resource, existing-pool mode)', () => {
  it('is not created in new-pool mode, where the pool itself names the functions', () => {
    // Prepare
    const ids = ATTACHMENT_RESOURCES;

    // Act
    const created = ids.filter((id) => resourceIsCreated(newPool, id));

    // Assess
    expect(created).toEqual([]);
  });

  it('is created in existing-pool mode, and not with AttachTriggers false (npm run attach wires them)', () => {
    // Prepare
    const ids = ATTACHMENT_RESOURCES;

    // Act
    const created = {
      attaching: ids.filter((id) => resourceIsCreated(existingPool, id)),
      cli: ids.filter((id) => resourceIsCreated(cliAttach, id)),
      cliPermissions: cliAttach.functions.flatMap((spec) =>
        permissionsFor(cliAttach, spec.logicalId, 'cognito-idp.amazonaws.com'),
      ).length,
    };

    // Assess
    expect(created).toEqual({ attaching: ids, cli: [], cliPermissions: 3 });
  });

  it("attaches every trigger function, keyed by its Metadata.CognitoTrigger, to ExistingUserPoolId's pool", () => {
    // Prepare
    const attachment = resourcesOf(existingPool).TriggerAttachment;

    // Act
    const properties = attachment?.Properties ?? {};
    const functions = selectConditions(
      attachment?.Properties?.Functions ?? {},
      createResolver(existingPool.path, existingPool.document),
    );

    // Assess
    expect({
      type: attachment?.Type,
      userPoolId: resolvedIn(existingPool, properties.UserPoolId),
      replace: resolvedIn(existingPool, properties.ReplaceExistingTriggers),
      kmsKeyId: selectConditions(
        { KMSKeyID: properties.KMSKeyID },
        createResolver(existingPool.path, existingPool.document),
      ),
      functions,
    }).toEqual({
      type: 'Custom::CognitoTriggerAttachment',
      userPoolId: EXAMPLE_POOL_ID,
      replace: 'false',
      kmsKeyId: {},
      functions: Object.fromEntries(
        existingPool.functions.map((spec) => [spec.trigger, { 'Fn::GetAtt': [spec.logicalId, 'Arn'] }]),
      ),
    });
  });

  it('waits for every invoke permission and its own policy, so a wired function may be invoked at once', () => {
    // Prepare
    const attachment = resourcesOf(existingPool).TriggerAttachment as Resource & { DependsOn?: string[] };
    const resolver = createResolver(existingPool.path, existingPool.document);
    // The permissions the stack creates in that mode (the custom senders' exist with CustomSenders only).
    const permissions = Object.entries(resourcesOf(existingPool))
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Permission')
      .filter(
        ([, resource]) =>
          resource.Condition === undefined || conditionValue(resource.Condition, resolver) === true,
      )
      .map(([id]) => id);

    // Act
    const dependsOn = [...(attachment.DependsOn ?? [])].sort();

    // Assess
    expect(dependsOn).toEqual([...permissions, 'TriggerAttachPolicy'].sort());
  });

  it('is not a trigger function for the tools, and is bundled from the attach core', () => {
    // Prepare
    const resource = resourcesOf(existingPool).TriggerAttachFunction;

    // Act
    const found = existingPool.functions.map((spec) => spec.logicalId);
    const buildProperties = resource?.Metadata?.BuildProperties as { EntryPoints?: string[] } | undefined;

    // Assess
    expect({
      found: found.includes('TriggerAttachFunction'),
      trigger: resource?.Metadata?.CognitoTrigger,
      entryPoints: buildProperties?.EntryPoints,
      handler: resource?.Properties?.Handler,
    }).toEqual({
      found: false,
      trigger: undefined,
      entryPoints: ['attach/custom-resource/handler.ts'],
      handler: 'handler.handler',
    });
  });

  it('may read and update that pool only, and pass no role unless ExistingUserPoolSmsRoleArn names one', () => {
    // Prepare
    const statementsIn = (model: TemplateModel) =>
      (
        resolvedIn(model, resourcesOf(model).TriggerAttachPolicy?.Properties?.PolicyDocument) as {
          Statement: unknown[];
        }
      ).Statement;

    // Act
    const without = statementsIn(existingPool);
    const withRole = statementsIn(smsRole);

    // Assess
    const cognito = {
      Effect: 'Allow',
      Action: ['cognito-idp:DescribeUserPool', 'cognito-idp:UpdateUserPool'],
      Resource: EXAMPLE_POOL_ARN,
    };
    expect({ without, withRole }).toEqual({
      without: [cognito],
      withRole: [
        cognito,
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: SMS_ROLE_ARN,
          Condition: { StringEquals: { 'iam:PassedToService': 'cognito-idp.amazonaws.com' } },
        },
      ],
    });
  });

  it('outputs what it replaced, in existing-pool mode only', () => {
    // Prepare
    const outputsOf = (model: TemplateModel) =>
      model.document.Outputs as Record<string, { Condition?: string; Value: unknown }>;

    // Act
    const conditions = {
      existing: outputsOf(existingPool).ReplacedTriggers?.Condition,
      value: outputsOf(existingPool).ReplacedTriggers?.Value,
    };

    // Assess
    expect(conditions).toEqual({
      existing: 'AttachesToExistingPool',
      value: { 'Fn::GetAtt': ['TriggerAttachment', 'ReplacedTriggers'] },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// samconfig.toml: `sam deploy --guided` in either mode

/** The `[a.b.c]` tables of a flat TOML file and their `key = value` lines (strings, booleans, numbers). */
function readFlatToml(text: string): Record<string, Record<string, unknown>> {
  const tables: Record<string, Record<string, unknown>> = { '': {} };
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const table = /^\[([^\]]+)\]$/.exec(line);
    if (table !== null) {
      current = table[1] ?? '';
      tables[current] ??= {};
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
    if (pair === null) throw new Error(`samconfig.toml: cannot read the line ${JSON.stringify(line)}`);
    const [, key = '', value = ''] = pair;
    const entries = tables[current] ?? {};
    entries[key] = JSON.parse(value);
    tables[current] = entries;
  }
  return tables;
}

describe('Template modes: MessageDelivery CustomSenders (existing pool)', () => {
  const resolver = createResolver(existingSenders.path, existingSenders.document);
  const resources = resourcesOf(existingSenders);

  it('creates every sender resource, and the attachment', () => {
    // Prepare
    const ids = Object.entries(resources)
      .filter(([, resource]) => resource.Condition === SENDER_CONDITION)
      .map(([id]) => id);

    // Act
    const missing = [...ids, ...ATTACHMENT_RESOURCES].filter((id) => !resourceIsCreated(existingSenders, id));

    // Assess
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(missing).toEqual([]);
    expect(conditionValue('UsesCustomSenders', resolver)).toBe(false);
  });

  it('attaches both senders and the stack key, in place of custom message (contract §3)', () => {
    // Act
    const properties = selectConditions(resources.TriggerAttachment?.Properties, resolver) as Record<
      string,
      unknown
    >;

    // Assess
    expect({ functions: properties.Functions, kmsKeyId: properties.KMSKeyID }).toEqual({
      functions: {
        PreSignUp: { 'Fn::GetAtt': ['PreSignUpFunction', 'Arn'] },
        PostConfirmation: { 'Fn::GetAtt': ['PostConfirmationFunction', 'Arn'] },
        CustomEmailSender: {
          'Fn::Select': [
            0,
            [
              { 'Fn::GetAtt': ['CustomEmailSenderFunction', 'Arn'] },
              { Ref: 'CustomEmailSenderCognitoPermission' },
            ],
          ],
        },
        CustomSMSSender: {
          'Fn::Select': [
            0,
            [
              { 'Fn::GetAtt': ['CustomSmsSenderFunction', 'Arn'] },
              { Ref: 'CustomSmsSenderCognitoPermission' },
            ],
          ],
        },
      },
      kmsKeyId: { 'Fn::GetAtt': ['CodeKey', 'Arn'] },
    });
  });

  it('waits for every created invoke permission (the senders through a reference) and its own policy', () => {
    // Prepare
    const attachment = resources.TriggerAttachment as Resource & { DependsOn?: string[] };
    const permissions = Object.entries(resources)
      .filter(
        ([id, resource]) =>
          resource.Type === 'AWS::Lambda::Permission' && resourceIsCreated(existingSenders, id),
      )
      .map(([id]) => id);

    // Act
    const waitsFor = new Set([
      ...(attachment.DependsOn ?? []),
      ...referencedLogicalIds(selectConditions(attachment.Properties, resolver)),
    ]);

    // Assess
    expect(permissions.length).toBe(5);
    expect(permissions.filter((id) => !waitsFor.has(id))).toEqual([]);
    expect(waitsFor.has('TriggerAttachPolicy')).toBe(true);
  });

  it.each([['CustomEmailSenderFunction'], ['CustomSmsSenderFunction']])(
    'lets Cognito invoke %s from that pool and this account only',
    (logicalId) => {
      // Act
      const permissions = permissionsFor(existingSenders, logicalId, 'cognito-idp.amazonaws.com');

      // Assess
      expect(
        permissions.map((permission) => ({
          SourceArn: resolvedIn(existingSenders, permission.Properties?.SourceArn),
          SourceAccount: resolvedIn(existingSenders, permission.Properties?.SourceAccount),
        })),
      ).toEqual([{ SourceArn: EXAMPLE_POOL_ARN, SourceAccount: '123456789012' }]);
    },
  );

  it("scopes every cognito-idp statement, the email sender's AdminGetUser included, to that pool's ARN", () => {
    // Act
    const statements = cognitoStatementsOf(existingSenders).map(({ policy, statement }) => [
      policy,
      resolvedIn(existingSenders, statement.Resource),
    ]);

    // Assess
    expect(statements).toEqual([
      ['TriggerAttachPolicy', EXAMPLE_POOL_ARN],
      ['PreSignUpCognitoPolicy', EXAMPLE_POOL_ARN],
      ['PostConfirmationCognitoPolicy', EXAMPLE_POOL_ARN],
      ['CustomEmailSenderCognitoPolicy', EXAMPLE_POOL_ARN],
    ]);
  });

  it('lets the attach function create the grant Cognito asks for on the stack key, and only with the senders', () => {
    // Prepare
    const kmsStatements = (model: TemplateModel) =>
      (
        selectConditions(
          resourcesOf(model).TriggerAttachPolicy?.Properties?.PolicyDocument,
          createResolver(model.path, model.document),
        ) as { Statement: { Action: unknown; Resource: unknown }[] }
      ).Statement.filter((statement) => JSON.stringify(statement.Action).includes('kms:'));

    // Act
    const found = { senders: kmsStatements(existingSenders), plain: kmsStatements(existingPool) };

    // Assess
    expect(found).toEqual({
      senders: [
        { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: { 'Fn::GetAtt': ['CodeKey', 'Arn'] } },
      ],
      plain: [],
    });
  });
});

describe('Template modes: samconfig.toml', () => {
  const tables = readFlatToml(readFileSync(join(PROJECT_ROOT, 'samconfig.toml'), 'utf8'));
  const environments = ['default', 'existing-pool'];

  it('has a deploy environment for each mode', () => {
    // Prepare
    const expected = environments.map((environment) => `${environment}.deploy.parameters`);

    // Act
    const deploys = Object.keys(tables).filter((table) => table.endsWith('.deploy.parameters'));

    // Assess
    expect(deploys).toEqual(expected);
  });

  it.each(environments)(
    'gives %s everything sam deploy would otherwise ask, each mode in a stack of its own',
    (environment) => {
      // Prepare
      const parameters = tables[`${environment}.deploy.parameters`] ?? {};

      // Act
      const { stack_name, s3_prefix, parameter_overrides: _overrides, ...rest } = parameters;

      // Assess
      expect(rest).toEqual({ resolve_s3: true, capabilities: 'CAPABILITY_IAM', confirm_changeset: true });
      expect({ stack_name: typeof stack_name, s3_prefix }).toEqual({
        stack_name: 'string',
        s3_prefix: stack_name,
      });
    },
  );

  it('deploys the two modes as different stacks', () => {
    // Prepare
    const names = environments.map((environment) => tables[`${environment}.deploy.parameters`]?.stack_name);

    // Act
    const distinct = new Set(names);

    // Assess
    expect(distinct.size).toBe(environments.length);
  });

  it('overrides only ExistingUserPoolId in existing-pool mode, with a placeholder the template refuses', () => {
    // Prepare
    const overrides = String(tables['existing-pool.deploy.parameters']?.parameter_overrides ?? '');
    const parameter = newPool.parameters.ExistingUserPoolId as { AllowedPattern: string };
    // CloudFormation matches the whole value against the pattern (anchored here), with Java's \w, as JavaScript's.
    const allowed = new RegExp(parameter.AllowedPattern);

    // Act
    const [name, value = ''] = overrides.split('=');

    // Assess
    expect({ name, placeholder: allowed.test(value), real: allowed.test(EXAMPLE_POOL_ID) }).toEqual({
      name: 'ExistingUserPoolId',
      placeholder: false,
      real: true,
    });
  });

  it('leaves new-pool mode on the template defaults (no parameter override)', () => {
    // Prepare
    const parameters = tables['default.deploy.parameters'] ?? {};

    // Act
    const overrides = parameters.parameter_overrides;

    // Assess
    expect(overrides).toBeUndefined();
  });
});
