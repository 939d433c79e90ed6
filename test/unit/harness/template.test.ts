// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are CloudFormation Fn::Sub templates, not JS templates

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TemplateError } from '../../../harness/errors.js';
import { createResolver, referencedLogicalIds, selectConditions } from '../../../harness/intrinsics.js';
import {
  DEFAULT_TEMPLATE_PATH,
  type FunctionSpec,
  functionByLogicalId,
  functionByTrigger,
  loadTemplate,
  mergeGlobals,
  parseTemplate,
  requireTriggerFunctions,
  resourceIsCreated,
} from '../../../harness/template.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FAKE_PATH = '/project/template.yaml';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A template with one parameterised Cognito trigger function; `properties` are extra Properties lines. */
function templateText(options: { properties?: string; globals?: string; metadata?: string } = {}): string {
  const metadata =
    options.metadata ??
    `      BuildMethod: esbuild
      BuildProperties:
        Format: cjs
        OutExtension: ['.js=.cjs']
        EntryPoints: [src/handler.ts]`;
  return `Transform: AWS::Serverless-2016-10-31
Parameters:
  Level: { Type: String, Default: INFO, AllowedValues: [DEBUG, INFO] }
  Memory: { Type: Number, Default: 512 }
  NoDefault: { Type: String }
Conditions:
  IsDebug: !Equals [!Ref Level, DEBUG]
Mappings:
  Stage:
    Settings: { Mode: strict }
Globals:
  Function:
${options.globals ?? '    Timeout: 4'}
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Table:
    Type: AWS::DynamoDB::Table
  SignUpFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: handler.handler
      CodeUri: ./
      Events:
        Trigger:
          Type: Cognito
          Properties: { UserPool: !Ref Pool, Trigger: PreSignUp }
${options.properties ?? ''}
    Metadata:
${metadata}
`;
}

/**
 * A template whose functions name their trigger in `Metadata.CognitoTrigger` only: no pool, no Cognito event
 * (a template that attaches the triggers to an existing pool). `functions` maps logical ids to the YAML value.
 */
function metadataTemplateText(functions: Record<string, string>, extra = ''): string {
  const resources = Object.entries(functions).map(
    ([logicalId, trigger]) => `  ${logicalId}:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: handler.handler, CodeUri: ./ }
    Metadata:
      CognitoTrigger: ${trigger}
      BuildMethod: esbuild
      BuildProperties: { EntryPoints: [src/handler.ts] }
`,
  );
  return `Transform: AWS::Serverless-2016-10-31
Parameters:
  PoolId: { Type: String, Default: us-east-1_EXAMPLE1234 }
  Unset: { Type: String }
Conditions:
  CreatesPool: !Equals [!Ref PoolId, ""]
  NeedsDeploy: !Equals [!Ref Unset, ""]
Resources:
${resources.join('')}${extra}`;
}

function specOf(options: Parameters<typeof templateText>[0] = {}): FunctionSpec {
  return functionByLogicalId(parseTemplate(templateText(options), FAKE_PATH), 'SignUpFunction');
}

function environmentOf(variables: Record<string, string>): FunctionSpec {
  const lines = Object.entries(variables).map(([name, value]) => `          ${name}: ${value}`);
  return specOf({ properties: `      Environment:\n        Variables:\n${lines.join('\n')}` });
}

describe('Harness: template environment', () => {
  it('resolves a Ref to a parameter to its Default', () => {
    // Prepare
    const spec = environmentOf({ LEVEL: '!Ref Level' });

    // Act
    const { environment } = spec;

    // Assess
    expect(environment.LEVEL).toBe('INFO');
  });

  it('resolves AWS::Region to us-east-1 like sam local invoke', () => {
    // Prepare
    const spec = environmentOf({ REGION: '!Ref AWS::Region' });

    // Act
    const { environment } = spec;

    // Assess
    expect(environment.REGION).toBe('us-east-1');
  });

  it('resolves Fn::Sub over parameters, pseudo parameters and its own variables', () => {
    // Prepare
    const spec = environmentOf({
      NAME: `!Sub ['\${Level}-\${AWS::AccountId}-\${Own}-\${!Literal}', { Own: x }]`,
    });

    // Act
    const { environment } = spec;

    // Assess
    expect(environment.NAME).toBe('INFO-123456789012-x-${Literal}');
  });

  it('resolves Fn::If over a condition evaluated with parameter defaults', () => {
    // Prepare
    const spec = environmentOf({ MODE: '!If [IsDebug, verbose, quiet]' });

    // Act
    const { environment } = spec;

    // Assess
    expect(environment.MODE).toBe('quiet');
  });

  it('resolves Fn::Join, Fn::Select and Fn::FindInMap', () => {
    // Prepare
    const spec = environmentOf({
      JOINED: "!Join [',', [a, !Ref Level]]",
      SELECTED: '!Select [1, [a, b]]',
      MAPPED: '!FindInMap [Stage, Settings, Mode]',
    });

    // Act
    const { environment } = spec;

    // Assess
    expect(environment).toMatchObject({ JOINED: 'a,INFO', SELECTED: 'b', MAPPED: 'strict' });
  });

  it('turns numbers and booleans into strings', () => {
    // Prepare
    const spec = environmentOf({ COUNT: '3', ENABLED: 'true' });

    // Act
    const { environment } = spec;

    // Assess
    expect(environment).toMatchObject({ COUNT: '3', ENABLED: 'true' });
  });

  it('leaves out what only a deployment knows and lists it as unresolved', () => {
    // Prepare
    const spec = environmentOf({
      TABLE: '!Ref Table',
      STREAM: '!GetAtt Table.StreamArn',
      ARN: '!Sub arn:aws:dynamodb:::table/${Table}',
      UNSET: '!Ref NoDefault',
      KEPT: 'yes',
    });

    // Act
    const { environment, unresolved } = spec;

    // Assess
    expect({ environment, unresolved }).toEqual({
      environment: { KEPT: 'yes' },
      unresolved: ['TABLE', 'STREAM', 'ARN', 'UNSET'],
    });
  });

  it('treats names of Object.prototype members as unknown, not as parameters', () => {
    // Prepare
    const spec = environmentOf({
      A: '!Ref toString',
      B: '!Sub ${constructor}',
      C: '!If [hasOwnProperty, a, b]',
    });

    // Act
    const { environment, unresolved } = spec;

    // Assess
    expect({ environment, unresolved }).toEqual({ environment: {}, unresolved: ['A', 'B', 'C'] });
  });

  it('drops a variable set to AWS::NoValue', () => {
    // Prepare
    const spec = environmentOf({ GONE: '!If [IsDebug, on, !Ref AWS::NoValue]' });

    // Act
    const { environment, unresolved } = spec;

    // Assess
    expect({ environment, unresolved }).toEqual({ environment: {}, unresolved: [] });
  });

  it('merges the Globals environment with the function, the function winning', () => {
    // Prepare
    const globals = '    Environment:\n      Variables:\n        SHARED: global\n        OWN: global';
    const properties = '      Environment:\n        Variables:\n          OWN: local';

    // Act
    const spec = specOf({ globals, properties });

    // Assess
    expect(spec.environment).toEqual({ SHARED: 'global', OWN: 'local' });
  });
});

describe('Harness: template functions', () => {
  it('takes Timeout from Globals and MemorySize from a parameter', () => {
    // Prepare
    const properties = '      MemorySize: !Ref Memory';

    // Act
    const spec = specOf({ properties });

    // Assess
    expect({ timeout: spec.timeoutSeconds, memory: spec.memoryMb }).toEqual({ timeout: 4, memory: 512 });
  });

  it("falls back to Lambda's defaults when Timeout and MemorySize are unset", () => {
    // Prepare
    const globals = '    Tracing: Active';

    // Act
    const spec = specOf({ globals });

    // Assess
    expect({ timeout: spec.timeoutSeconds, memory: spec.memoryMb }).toEqual({ timeout: 3, memory: 128 });
  });

  it('derives the bundle file and export from Handler and OutExtension', () => {
    // Prepare
    const options = {};

    // Act
    const spec = specOf(options);

    // Assess
    expect(spec).toMatchObject({
      trigger: 'PreSignUp',
      entryPoint: 'src/handler.ts',
      bundleFile: 'handler.cjs',
      exportName: 'handler',
    });
  });

  it('names a .js bundle when OutExtension is unset', () => {
    // Prepare
    const metadata =
      '      BuildMethod: esbuild\n      BuildProperties:\n        EntryPoints: [src/handler.ts]';

    // Act
    const spec = specOf({ metadata });

    // Assess
    expect(spec.bundleFile).toBe('handler.js');
  });

  it("takes the handler's file with .ts before .js as entry point when EntryPoints is unset, like SAM", () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'template-'));
    roots.push(root);
    writeFileSync(join(root, 'handler.ts'), 'export const handler = 1;');
    writeFileSync(join(root, 'handler.js'), 'exports.handler = 1;');
    const text = templateText({ metadata: '      BuildMethod: esbuild' });

    // Act
    const model = parseTemplate(text, join(root, 'template.yaml'));

    // Assess
    expect(model.functions[0]?.entryPoint).toBe('handler.ts');
  });

  it('leaves out functions without a Cognito event', () => {
    // Prepare
    const text = `${templateText()}  Worker:
    Type: AWS::Serverless::Function
    Properties: { Handler: worker.handler, Runtime: nodejs22.x }
`;

    // Act
    const model = parseTemplate(text, FAKE_PATH);

    // Assess
    expect(model.functions.map((spec) => spec.logicalId)).toEqual(['SignUpFunction']);
  });

  it.each([
    ['a trigger name with a typo', 'PreSignup'],
    ['two triggers on one function', '[PreSignUp, CustomMessage]'],
  ])('rejects %s', (_case, trigger) => {
    // Prepare
    const text = templateText().replace('Trigger: PreSignUp', `Trigger: ${trigger}`);

    // Act
    const parse = () => parseTemplate(text, FAKE_PATH);

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({ name: 'TemplateError', key: 'Resources.SignUpFunction.Properties.Events' }),
    );
  });

  it('rejects a function that is not built with esbuild', () => {
    // Prepare
    const metadata = '      BuildMethod: makefile';

    // Act
    const parse = () => specOf({ metadata });

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({
        name: 'TemplateError',
        key: 'Resources.SignUpFunction.Metadata.BuildMethod',
      }),
    );
  });

  it('rejects more than one entry point', () => {
    // Prepare
    const metadata = '      BuildMethod: esbuild\n      BuildProperties: { EntryPoints: [a.ts, b.ts] }';

    // Act
    const parse = () => specOf({ metadata });

    // Assess
    expect(parse).toThrow(TemplateError);
  });

  it('names the known functions when a logical id is unknown', () => {
    // Prepare
    const model = parseTemplate(templateText(), FAKE_PATH);

    // Act
    const find = () => functionByLogicalId(model, 'PreSignupFunction');

    // Assess
    expect(find).toThrow(/known: SignUpFunction/);
  });

  it('names a template with no trigger function as such when a logical id is asked for', () => {
    // Prepare
    const model = parseTemplate(metadataTemplateText({}), FAKE_PATH);

    // Act
    const find = () => functionByLogicalId(model, 'PreSignUpFunction');

    // Assess
    expect(find).toThrow(/the template has none: no AWS::Serverless::Function names the Cognito trigger/);
  });

  it('reads template.yaml at the repository root by default', () => {
    // Prepare
    const expected = join(ROOT, 'template.yaml');

    // Act
    const model = loadTemplate();

    // Assess
    expect({ path: model.path, default: DEFAULT_TEMPLATE_PATH }).toEqual({
      path: expected,
      default: expected,
    });
  });

  it('reports a missing template file as a TemplateError', () => {
    // Prepare
    const path = join(tmpdir(), 'no-such-dir-for-template-test', 'template.yaml');

    // Act
    const load = () => loadTemplate(path);

    // Assess
    expect(load).toThrow(TemplateError);
  });
});

describe('Harness: SAM Globals merge', () => {
  it('merges maps key by key, the function winning', () => {
    // Prepare
    const global = { A: 1, Nested: { B: 2, C: 3 } };

    // Act
    const merged = mergeGlobals(global, { Nested: { C: 4 } });

    // Assess
    expect(merged).toEqual({ A: 1, Nested: { B: 2, C: 4 } });
  });

  it('puts Globals list items before the function items', () => {
    // Prepare
    const global = { Layers: ['a'] };

    // Act
    const merged = mergeGlobals(global, { Layers: ['b'] });

    // Assess
    expect(merged).toEqual({ Layers: ['a', 'b'] });
  });

  it('replaces an intrinsic instead of merging into it', () => {
    // Prepare
    const global = { Value: { Ref: 'Param' } };

    // Act
    const merged = mergeGlobals(global, { Value: { 'Fn::If': ['C', 'a', 'b'] } });

    // Assess
    expect(merged).toEqual({ Value: { 'Fn::If': ['C', 'a', 'b'] } });
  });
});

describe('Harness: trigger functions named in Metadata.CognitoTrigger', () => {
  it('finds each function by the trigger its Metadata names, with no pool and no Cognito event', () => {
    // Prepare
    const text = metadataTemplateText({ SignUpFunction: 'PreSignUp', MessageFunction: 'CustomMessage' });

    // Act
    const model = parseTemplate(text, FAKE_PATH);

    // Assess
    expect(model.functions.map((spec) => [spec.logicalId, spec.trigger])).toEqual([
      ['SignUpFunction', 'PreSignUp'],
      ['MessageFunction', 'CustomMessage'],
    ]);
  });

  it('accepts Metadata and a Cognito event that name the same trigger', () => {
    // Prepare
    const metadata = `      CognitoTrigger: PreSignUp
      BuildMethod: esbuild
      BuildProperties: { EntryPoints: [src/handler.ts] }`;

    // Act
    const spec = specOf({ metadata });

    // Assess
    expect(spec.trigger).toBe('PreSignUp');
  });

  it('rejects Metadata that names another trigger than the Cognito event wires', () => {
    // Prepare
    const metadata = `      CognitoTrigger: CustomMessage
      BuildMethod: esbuild
      BuildProperties: { EntryPoints: [src/handler.ts] }`;

    // Act
    const parse = () => specOf({ metadata });

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({
        name: 'TemplateError',
        key: 'Resources.SignUpFunction.Metadata.CognitoTrigger',
        message: expect.stringContaining(
          "says CustomMessage, but the function's Cognito event wires PreSignUp",
        ),
      }),
    );
  });

  it.each([
    ['a trigger name with a typo', 'PreSignup'],
    ['a list of triggers', '[PreSignUp]'],
    ['an intrinsic', '!Ref PoolId'],
  ])('rejects %s in Metadata.CognitoTrigger, naming the key', (_case, trigger) => {
    // Prepare
    const text = metadataTemplateText({ SignUpFunction: trigger });

    // Act
    const parse = () => parseTemplate(text, FAKE_PATH);

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({
        name: 'TemplateError',
        key: 'Resources.SignUpFunction.Metadata.CognitoTrigger',
        message: expect.stringContaining('must be one of PreSignUp, CustomMessage, PostConfirmation'),
      }),
    );
  });

  it('rejects two functions that serve one trigger', () => {
    // Prepare
    const text = metadataTemplateText({ SignUpFunction: 'PreSignUp', OtherFunction: 'PreSignUp' });

    // Act
    const parse = () => parseTemplate(text, FAKE_PATH);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: 'TemplateError', key: 'Resources.OtherFunction' }));
  });

  it('finds the function that serves a trigger', () => {
    // Prepare
    const model = parseTemplate(metadataTemplateText({ ConfirmFunction: 'PostConfirmation' }), FAKE_PATH);

    // Act
    const spec = functionByTrigger(model, 'PostConfirmation');

    // Assess
    expect(spec.logicalId).toBe('ConfirmFunction');
  });

  it('says which trigger has no function, and which functions there are', () => {
    // Prepare
    const model = parseTemplate(metadataTemplateText({ ConfirmFunction: 'PostConfirmation' }), FAKE_PATH);

    // Act
    const find = () => functionByTrigger(model, 'PreSignUp');

    // Assess
    expect(find).toThrow(
      `${FAKE_PATH}: Resources hold no function for the PreSignUp trigger (Metadata.CognitoTrigger: PreSignUp; known: ConfirmFunction)`,
    );
  });

  it('refuses a template with no trigger function where one is needed, saying how they are found', () => {
    // Prepare
    const model = parseTemplate(metadataTemplateText({}), FAKE_PATH);

    // Act
    const require = () => requireTriggerFunctions(model);

    // Assess
    expect(require).toThrow(
      expect.objectContaining({
        name: 'TemplateError',
        key: 'Resources',
        message: expect.stringContaining('in Metadata.CognitoTrigger or in a SAM Cognito event'),
      }),
    );
  });
});

describe('Harness: resourceIsCreated', () => {
  const extra = `  Always:
    Type: AWS::SQS::Queue
  OwnPool:
    Type: AWS::Cognito::UserPool
    Condition: CreatesPool
  Later:
    Type: AWS::SQS::Queue
    Condition: NeedsDeploy
  Broken:
    Type: AWS::SQS::Queue
    Condition: NoSuchCondition
`;
  const model = parseTemplate(metadataTemplateText({}, extra), FAKE_PATH);

  it.each([
    ['a resource without a Condition', 'Always', true],
    ['a resource whose condition does not hold with the defaults', 'OwnPool', false],
    ['a resource whose condition needs a deployment', 'Later', true],
    ['a resource the template does not declare', 'Missing', false],
  ])('answers for %s', (_case, logicalId, created) => {
    // Prepare
    const id = logicalId;

    // Act
    const answer = resourceIsCreated(model, id);

    // Assess
    expect(answer).toBe(created);
  });

  it('rejects a Condition the template does not declare, naming the key', () => {
    // Prepare
    const id = 'Broken';

    // Act
    const answer = () => resourceIsCreated(model, id);

    // Assess
    expect(answer).toThrow(
      expect.objectContaining({ name: 'TemplateError', key: 'Resources.Broken.Condition' }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// The project's own template.yaml and events/env.json

const model = loadTemplate();
const resources = model.document.Resources as Record<
  string,
  { Type: string; Properties?: Record<string, unknown> }
>;
const globalsFunction = (model.document.Globals as { Function?: Record<string, unknown> }).Function ?? {};

/** Logical ids that depend on `id`, directly or through other resources (the pool's clients, …). */
/** The new pool's LambdaConfig as the parameter defaults make it (MessageDelivery CustomMessage). */
function lambdaConfigByDefault(): Record<string, unknown> {
  const config = selectConditions(
    resources.UserPool?.Properties?.LambdaConfig,
    createResolver(model.path, model.document),
  );
  return config as Record<string, unknown>;
}

function dependentsOf(id: string): Set<string> {
  const dependents = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [candidate, resource] of Object.entries(resources)) {
      if (dependents.has(candidate)) continue;
      const refs = referencedLogicalIds([
        resource.Properties,
        (resource as { DependsOn?: unknown }).DependsOn,
      ]);
      if ([...refs].some((ref) => dependents.has(ref))) {
        dependents.add(candidate);
        grew = true;
      }
    }
  }
  return dependents;
}

describe('Harness: template.yaml invariants', () => {
  it('wires each sign-up trigger to exactly one function', () => {
    // Prepare
    const triggers = model.functions.map((spec) => spec.trigger);

    // Act
    const sorted = [...triggers].sort();

    // Assess
    expect(sorted).toEqual(['CustomMessage', 'PostConfirmation', 'PreSignUp']);
  });

  describe.each(model.functions.map((spec) => [spec.logicalId, spec] as const))('%s', (_id, spec) => {
    it('times out within the 5 seconds Cognito waits (contract §6)', () => {
      // Prepare
      const limit = 5;

      // Act
      const timeout = spec.timeoutSeconds;

      // Assess
      expect(timeout).toBeLessThanOrEqual(limit);
    });

    it('runs on arm64 with a Node.js runtime cfn-lint accepts', () => {
      // Prepare
      const runtimes = ['nodejs22.x', 'nodejs24.x'];

      // Act
      const { runtime, architectures } = spec;

      // Assess
      expect({ runtime: runtimes.includes(runtime), architectures }).toEqual({
        runtime: true,
        architectures: ['arm64'],
      });
    });

    it('has an entry point that exists and exports its handler', async () => {
      // Prepare
      const path = join(ROOT, spec.entryPoint);

      // Act: loaded with the function's template environment, as Lambda would
      const saved = { ...process.env };
      Object.assign(process.env, spec.environment);
      const module = existsSync(path)
        ? ((await import(`${pathToFileURL(path).href}?template-test`)) as Record<string, unknown>)
        : {};
      process.env = saved;

      // Assess
      expect(typeof module[spec.exportName]).toBe('function');
    });

    it('bundles as CommonJS into a .cjs file, because package.json says "type": "module"', () => {
      // Prepare
      const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { type?: string };

      // Act
      const { Format } = spec.buildProperties;

      // Assess
      expect({ type: packageJson.type, Format, bundleFile: spec.bundleFile }).toEqual({
        type: 'module',
        Format: 'cjs',
        bundleFile: 'handler.cjs',
      });
    });

    it('logs to its own log group with a retention', () => {
      // Prepare
      const logGroup = resources[spec.logGroupLogicalId ?? ''];

      // Act
      const retention =
        logGroup?.Type === 'AWS::Logs::LogGroup' ? logGroup.Properties?.RetentionInDays : undefined;

      // Assess
      expect(retention).toBeDefined();
    });

    it('names its trigger in Metadata and uses no SAM Cognito event, which only takes a pool of this template (contract §7)', () => {
      // Prepare
      const resource = resources[spec.logicalId] as { Metadata?: Record<string, unknown> };
      const properties = resources[spec.logicalId]?.Properties ?? {};

      // Act
      const named = { trigger: resource.Metadata?.CognitoTrigger, events: properties.Events };

      // Assess
      expect(named).toEqual({ trigger: spec.trigger, events: undefined });
    });

    it("is the function the new pool's LambdaConfig names for its trigger", () => {
      // Prepare
      const lambdaConfig = lambdaConfigByDefault();

      // Act
      const wired = lambdaConfig[spec.trigger];

      // Assess
      expect(wired).toEqual({ 'Fn::GetAtt': [spec.logicalId, 'Arn'] });
    });

    it('depends on nothing that depends on the user pool, so there is no cycle (contract §7)', () => {
      // Prepare
      const properties = resources[spec.logicalId]?.Properties ?? {};
      const poolSide = dependentsOf('UserPool');

      // Act
      const refs = [...referencedLogicalIds([globalsFunction, properties])];

      // Assess
      expect(refs.filter((ref) => poolSide.has(ref))).toEqual([]);
    });
  });

  it("wires no other function than the trigger functions into the new pool's LambdaConfig", () => {
    // Prepare
    const lambdaConfig = lambdaConfigByDefault();

    // Act
    const triggers = Object.keys(lambdaConfig).sort();

    // Assess
    expect(triggers).toEqual(model.functions.map((spec) => spec.trigger).sort());
  });

  it('declares in the template every variable events/env.json sets', () => {
    // Prepare
    const envVars = JSON.parse(readFileSync(join(ROOT, 'events', 'env.json'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    const declared = new Set(
      model.functions.flatMap((spec) => [...Object.keys(spec.environment), ...spec.unresolved]),
    );

    // Act
    const names = Object.values(envVars).flatMap((block) => Object.keys(block));

    // Assess
    expect(names.filter((name) => !declared.has(name))).toEqual([]);
  });
});
