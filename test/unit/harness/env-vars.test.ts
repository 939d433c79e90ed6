import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyEnvVars, envVarsWarnings } from '../../../harness/env-vars.js';
import { EnvVarsError } from '../../../harness/errors.js';
import { functionByLogicalId, loadTemplate, parseTemplate } from '../../../harness/template.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A template with one Cognito trigger function (three variables, one only known after a deploy) and an API. */
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Level: { Type: String, Default: INFO }
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
      Environment:
        Variables:
          LEVEL: !Ref Level
          MODE: strict
          TABLE: !Ref Table
      Events:
        Trigger:
          Type: Cognito
          Properties: { UserPool: !Ref Pool, Trigger: PreSignUp }
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [src/handler.ts]
  ApiFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: api.handler
`;

const model = parseTemplate(TEMPLATE, '/project/template.yaml');
const spec = functionByLogicalId(model, 'SignUpFunction');

describe('Harness: applyEnvVars', () => {
  it('returns the template environment when there is no env-vars file', () => {
    // Prepare
    const envVars = undefined;

    // Act
    const environment = applyEnvVars(spec, envVars);

    // Assess
    expect(environment).toEqual({ LEVEL: 'INFO', MODE: 'strict' });
  });

  it('applies Parameters to a declared variable', () => {
    // Prepare
    const envVars = { Parameters: { LEVEL: 'DEBUG' } };

    // Act
    const environment = applyEnvVars(spec, envVars);

    // Assess
    expect(environment.LEVEL).toBe('DEBUG');
  });

  it("lets the function's own block win over Parameters", () => {
    // Prepare
    const envVars = { Parameters: { LEVEL: 'DEBUG' }, SignUpFunction: { LEVEL: 'ERROR' } };

    // Act
    const environment = applyEnvVars(spec, envVars);

    // Assess
    expect(environment.LEVEL).toBe('ERROR');
  });

  it('ignores variables the template does not declare for the function', () => {
    // Prepare
    const envVars = { Parameters: { UNDECLARED: 'x' }, SignUpFunction: { ALSO_UNDECLARED: 'y' } };

    // Act
    const environment = applyEnvVars(spec, envVars);

    // Assess
    expect(environment).toEqual({ LEVEL: 'INFO', MODE: 'strict' });
  });

  it("ignores another function's block", () => {
    // Prepare
    const envVars = { OtherFunction: { MODE: 'lax' } };

    // Act
    const environment = applyEnvVars(spec, envVars);

    // Assess
    expect(environment.MODE).toBe('strict');
  });

  it('fills a declared variable the template could not resolve', () => {
    // Prepare
    const envVars = { SignUpFunction: { TABLE: 'users-local' } };

    // Act
    const environment = applyEnvVars(spec, envVars);

    // Assess
    expect(environment.TABLE).toBe('users-local');
  });

  it('turns number and boolean values into strings', () => {
    // Prepare
    const envVars = { Parameters: { LEVEL: 3, MODE: false } };

    // Act
    const environment = applyEnvVars(spec, envVars);

    // Assess
    expect(environment).toMatchObject({ LEVEL: '3', MODE: 'false' });
  });

  it.each([
    ['a file that is not an object', [], '(root)'],
    ['a block that is not an object', { Parameters: 'LEVEL=DEBUG' }, 'Parameters'],
    ['a value that is not a scalar', { SignUpFunction: { LEVEL: { nested: true } } }, 'SignUpFunction.LEVEL'],
    ['a null value', { OtherFunction: { LEVEL: null } }, 'OtherFunction.LEVEL'],
  ])('rejects %s, naming the key', (_case, envVars, key) => {
    // Prepare
    const input: unknown = envVars;

    // Act
    const apply = () => applyEnvVars(spec, input);

    // Assess
    expect(apply).toThrow(expect.objectContaining({ name: 'EnvVarsError', key }));
  });

  it('throws the EnvVarsError class', () => {
    // Prepare
    const envVars = { Parameters: 1 };

    // Act
    const apply = () => applyEnvVars(spec, envVars);

    // Assess
    expect(apply).toThrow(EnvVarsError);
  });
});

describe('Harness: envVarsWarnings', () => {
  it('warns about each block that names no function of the template, saying SAM ignores it', () => {
    // Prepare
    const envVars = { Parameters: {}, SignUpFunction: {}, SignupFunction: { MODE: 'lax' }, Typo: {} };

    // Act
    const warnings = envVarsWarnings(model, envVars);

    // Assess
    expect(warnings).toEqual([
      'env-vars: block "SignupFunction" names no function of template.yaml; SAM ignores it',
      'env-vars: block "Typo" names no function of template.yaml; SAM ignores it',
    ]);
  });

  it('accepts a block for a function without a Cognito event, which SAM runs too', () => {
    // Prepare
    const envVars = { ApiFunction: { MODE: 'lax' } };

    // Act
    const warnings = envVarsWarnings(model, envVars);

    // Assess
    expect(warnings).toEqual([]);
  });

  it('warns about a block that names a resource that is not a function', () => {
    // Prepare
    const envVars = { Table: {} };

    // Act
    const warnings = envVarsWarnings(model, envVars);

    // Assess
    expect(warnings).toEqual(['env-vars: block "Table" names no function of template.yaml; SAM ignores it']);
  });

  it.each([
    ['no file', undefined],
    ['a null file', null],
    ['a file that is not an object', []],
  ])('gives no warning for %s (applyEnvVars refuses a bad shape)', (_case, envVars) => {
    // Prepare
    const input: unknown = envVars;

    // Act
    const warnings = envVarsWarnings(model, input);

    // Assess
    expect(warnings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The project's own env-vars files

const envVarsFiles = [
  ...readdirSync(join(ROOT, 'events'))
    .filter((name) => /^env(?:\..+)?\.json$/.test(name))
    .map((name) => `events/${name}`),
  'local/env.local.json',
];

describe('Harness: env-vars files of the project', () => {
  const template = loadTemplate();

  it.each(envVarsFiles)('%s names only functions of template.yaml', (file) => {
    // Prepare
    const envVars: unknown = JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

    // Act
    const warnings = envVarsWarnings(template, envVars);

    // Assess
    expect(warnings).toEqual([]);
  });
});
