import { describe, expect, it } from 'vitest';
import { loadTemplate, parseTemplate } from '../../../harness/template.js';
import { ProvisionError } from '../../../local/errors.js';
import {
  localPoolOrigin,
  NEW_POOL_DEFAULTS,
  templateResourcesOf,
} from '../../../local/template-resources.js';
import { existingPoolTemplateText } from '../harness/template-copies.js';

const FAKE_PATH = '/project/template.yaml';

/** A template that attaches its one trigger function to a pool it does not declare; `extra` adds resources. */
function noPoolTemplate(extra = ''): string {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  SignUpFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: handler.handler, CodeUri: ./ }
    Metadata:
      CognitoTrigger: PreSignUp
      BuildMethod: esbuild
      BuildProperties: { EntryPoints: [src/handler.ts] }
  Profiles:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{ AttributeName: sub, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: sub, AttributeType: S }]
${extra}`;
}

describe('Local: template resources in new-pool mode (template.yaml)', () => {
  const model = loadTemplate();

  it('reads the pool, its two clients and the profile table', () => {
    // Prepare
    const resources = templateResourcesOf(model);

    // Act
    const read = {
      pool: resources.poolLogicalId,
      clients: resources.clients.map((client) => [client.name, client.generateSecret]),
      tables: resources.tables.map((table) => table.logicalId),
    };

    // Assess
    expect(read).toEqual({
      pool: 'UserPool',
      clients: [
        ['public', false],
        ['confidential', true],
      ],
      tables: ['ProfileTable'],
    });
  });

  it("keeps NEW_POOL_DEFAULTS equal to template.yaml's own pool and clients", () => {
    // Prepare
    const resources = templateResourcesOf(model);

    // Act
    const read = { poolSettings: resources.poolSettings, clients: resources.clients };

    // Assess
    expect(read).toEqual(NEW_POOL_DEFAULTS);
  });

  it('says nothing about where the local pool comes from: the template creates it', () => {
    // Prepare
    const resources = templateResourcesOf(model);

    // Act
    const origin = localPoolOrigin(model, resources);

    // Assess
    expect(origin).toBeUndefined();
  });
});

describe('Local: template resources in existing-pool mode', () => {
  const model = parseTemplate(existingPoolTemplateText(), FAKE_PATH);

  it('gives the local pool the settings and clients of the pool the template declares but does not create', () => {
    // Prepare
    const resources = templateResourcesOf(model);

    // Act
    const read = {
      pool: resources.poolLogicalId,
      poolSettings: resources.poolSettings,
      clients: resources.clients,
    };

    // Assess
    expect(read).toEqual({ pool: 'UserPool', ...NEW_POOL_DEFAULTS });
  });

  it("says the local pool stands in for an existing one, with the template pool's settings", () => {
    // Prepare
    const resources = templateResourcesOf(model);

    // Act
    const origin = localPoolOrigin(model, resources);

    // Assess
    expect(origin).toBe(
      "template.yaml creates no user pool (it attaches to an existing one): locally the triggers are attached to a pool with UserPool's settings",
    );
  });

  it('gives a template that declares no pool the new-pool defaults and two clients, one with a secret', () => {
    // Prepare
    const noPool = parseTemplate(noPoolTemplate(), FAKE_PATH);

    // Act
    const resources = templateResourcesOf(noPool);

    // Assess
    expect({
      pool: resources.poolLogicalId,
      poolSettings: resources.poolSettings,
      clients: resources.clients,
      tables: resources.tables.map((table) => table.name),
      origin: localPoolOrigin(noPool, resources),
    }).toEqual({
      pool: undefined,
      ...NEW_POOL_DEFAULTS,
      tables: ['Profiles'],
      origin:
        'template.yaml creates no user pool (it attaches to an existing one): locally the triggers are attached to a pool with the new-pool defaults',
    });
  });

  it('hands out copies of the defaults, which provisioning may not change', () => {
    // Prepare
    const noPool = parseTemplate(noPoolTemplate(), FAKE_PATH);

    // Act
    const resources = templateResourcesOf(noPool);

    // Assess
    expect({
      settings: resources.poolSettings === NEW_POOL_DEFAULTS.poolSettings,
      client: resources.clients[0] === NEW_POOL_DEFAULTS.clients[0],
    }).toEqual({ settings: false, client: false });
  });

  it('refuses two pools, naming both: the local pipeline runs one', () => {
    // Prepare
    const twoPools = parseTemplate(
      noPoolTemplate(
        '  PoolA:\n    Type: AWS::Cognito::UserPool\n  PoolB:\n    Type: AWS::Cognito::UserPool\n',
      ),
      FAKE_PATH,
    );

    // Act
    const read = () => templateResourcesOf(twoPools);

    // Assess
    expect(read).toThrow(ProvisionError);
    expect(read).toThrow(/found PoolA, PoolB/);
  });
});
