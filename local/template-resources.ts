/**
 * What the local pipeline builds from `template.yaml` besides the functions: the user pool's settings, its
 * app clients, the DynamoDB tables and the groups. Values that are intrinsics the template reader cannot
 * resolve without a deployment (an `!If` on a deploy-time parameter, for example) are left out, so the
 * local pool gets cognito-local's default for them.
 *
 * Locally there is always a pool of its own for the triggers to be attached to, whatever the template's
 * mode: in existing-pool mode `template.yaml` still declares its pool and clients (under a condition that
 * does not hold), and their settings are the closest local stand-in for a pool the template does not
 * describe; a template that declares no pool at all gets {@link NEW_POOL_DEFAULTS}.
 */
import { basename } from 'node:path';
import { mergeGlobals, resourceIsCreated, type TemplateModel } from '../harness/template.js';
import { isObject } from '../shared/parse-event.js';
import { ProvisionError } from './errors.js';

type Json = Record<string, unknown>;

/** One app client of the pool. */
export type AppClientResource = {
  logicalId: string;
  /** `ClientName`, or the logical id when the template names none. */
  name: string;
  generateSecret: boolean;
  /** The other client settings the template gives (ExplicitAuthFlows, …), plain values only. */
  settings: Json;
};

/** One DynamoDB table. */
export type TableResource = {
  logicalId: string;
  /** `TableName` when it is a plain string, else the logical id. */
  name: string;
  partitionKey: { name: string; type: 'S' | 'N' | 'B' };
  sortKey?: { name: string; type: 'S' | 'N' | 'B' };
};

/** What {@link templateResourcesOf} finds. */
export type TemplateResources = {
  /**
   * Logical id of the `AWS::Cognito::UserPool`, created by the stack or not (existing-pool mode);
   * `undefined` when the template declares none and the local pool takes {@link NEW_POOL_DEFAULTS}.
   */
  poolLogicalId: string | undefined;
  /** The pool's `Properties` whose values are plain (no intrinsics), for CreateUserPool. */
  poolSettings: Json;
  /** The template's app clients; {@link NEW_POOL_DEFAULTS}' when it declares none. */
  clients: AppClientResource[];
  tables: TableResource[];
  /** `GroupName` of every `AWS::Cognito::UserPoolGroup`. */
  groups: string[];
};

/**
 * The local pool and clients of a template that declares none (it attaches the triggers to a pool that
 * exists elsewhere): the settings of `template.yaml`'s own pool and clients in new-pool mode, as
 * {@link templateResourcesOf} reads them (a test keeps the two equal).
 */
export const NEW_POOL_DEFAULTS: Readonly<{ poolSettings: Json; clients: readonly AppClientResource[] }> = {
  poolSettings: {
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    Policies: {
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: false,
        TemporaryPasswordValidityDays: 7,
      },
    },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
  },
  clients: [
    {
      logicalId: 'PublicClient',
      name: 'public',
      generateSecret: false,
      settings: {
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
      },
    },
    {
      logicalId: 'ConfidentialClient',
      name: 'confidential',
      generateSecret: true,
      settings: {
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
      },
    },
  ],
};

/** Whether a value holds no CloudFormation intrinsic anywhere (so CreateUserPool can take it as written). */
function isPlain(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isPlain);
  if (!isObject(value)) return true;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]?.startsWith('Fn::'))) {
    return false;
  }
  return Object.values(value).every(isPlain);
}

function plainPart(properties: Json, omit: readonly string[]): Json {
  return Object.fromEntries(
    Object.entries(properties).filter(([key, value]) => !omit.includes(key) && isPlain(value)),
  );
}

function resourcesOfType(model: TemplateModel, type: string): [string, Json][] {
  const resources = isObject(model.document.Resources) ? model.document.Resources : {};
  return Object.entries(resources).flatMap(([logicalId, resource]) =>
    isObject(resource) && resource.Type === type
      ? [[logicalId, isObject(resource.Properties) ? resource.Properties : {}] as [string, Json]]
      : [],
  );
}

const KEY_TYPES = ['S', 'N', 'B'] as const;

function keyTypeOf(properties: Json, attribute: string): 'S' | 'N' | 'B' {
  const definitions = Array.isArray(properties.AttributeDefinitions) ? properties.AttributeDefinitions : [];
  const definition = definitions.find(
    (entry: unknown) => isObject(entry) && entry.AttributeName === attribute,
  ) as Json | undefined;
  const type = definition?.AttributeType;
  return KEY_TYPES.find((known) => known === type) ?? 'S';
}

function tableOf(logicalId: string, properties: Json, simple: boolean): TableResource {
  const name = typeof properties.TableName === 'string' ? properties.TableName : logicalId;
  if (simple) {
    // AWS::Serverless::SimpleTable: PrimaryKey { Name, Type: String | Number | Binary }, default `id` String.
    const primary = isObject(properties.PrimaryKey) ? properties.PrimaryKey : {};
    const type = { String: 'S', Number: 'N', Binary: 'B' }[String(primary.Type ?? 'String')] ?? 'S';
    const keyName = typeof primary.Name === 'string' ? primary.Name : 'id';
    return { logicalId, name, partitionKey: { name: keyName, type: type as 'S' | 'N' | 'B' } };
  }
  const schema = Array.isArray(properties.KeySchema) ? properties.KeySchema.filter(isObject) : [];
  const hash = schema.find((entry) => entry.KeyType === 'HASH');
  const range = schema.find((entry) => entry.KeyType === 'RANGE');
  if (hash === undefined || typeof hash.AttributeName !== 'string') {
    throw new ProvisionError(`Resources.${logicalId}.Properties.KeySchema`, 'needs a HASH key');
  }
  return {
    logicalId,
    name,
    partitionKey: { name: hash.AttributeName, type: keyTypeOf(properties, hash.AttributeName) },
    ...(range !== undefined && typeof range.AttributeName === 'string'
      ? { sortKey: { name: range.AttributeName, type: keyTypeOf(properties, range.AttributeName) } }
      : {}),
  };
}

/**
 * The pool, clients, tables and groups of a template. The template may declare one user pool (created by
 * the stack or not) or none (see {@link NEW_POOL_DEFAULTS}), never more: the local pipeline runs one pool.
 *
 * @example
 * const resources = templateResourcesOf(loadTemplate());
 * resources.clients.map((client) => client.name); // ['public', 'confidential']
 */
export function templateResourcesOf(model: TemplateModel): TemplateResources {
  const pools = resourcesOfType(model, 'AWS::Cognito::UserPool');
  if (pools.length > 1) {
    throw new ProvisionError(
      'Resources',
      `must hold at most one AWS::Cognito::UserPool (the one the triggers serve), found ${pools.map(([id]) => id).join(', ')}`,
    );
  }
  const [pool] = pools;
  const poolLogicalId = pool?.[0];
  // LambdaConfig names deployed functions: locally the triggers are wired by cognito-local's configuration.
  const poolSettings =
    pool === undefined
      ? structuredClone(NEW_POOL_DEFAULTS.poolSettings)
      : plainPart(pool[1], ['LambdaConfig', 'UserPoolName', 'UserPoolTags']);
  const declaredClients = resourcesOfType(model, 'AWS::Cognito::UserPoolClient').map(
    ([logicalId, properties]): AppClientResource => ({
      logicalId,
      name: typeof properties.ClientName === 'string' ? properties.ClientName : logicalId,
      generateSecret: properties.GenerateSecret === true || properties.GenerateSecret === 'true',
      settings: plainPart(properties, ['UserPoolId', 'ClientName', 'GenerateSecret']),
    }),
  );
  // A template without clients (those of an existing pool live elsewhere): local callers still need one
  // client with a secret and one without.
  const clients =
    declaredClients.length === 0 ? structuredClone([...NEW_POOL_DEFAULTS.clients]) : declaredClients;
  // The tables the stack creates with the parameter defaults (not the custom senders' of another mode).
  const created = ([id]: [string, Json]) => resourceIsCreated(model, id);
  const tables = [
    ...resourcesOfType(model, 'AWS::DynamoDB::Table')
      .filter(created)
      .map(([id, properties]) => tableOf(id, properties, false)),
    ...resourcesOfType(model, 'AWS::Serverless::SimpleTable')
      .filter(created)
      .map(([id, properties]) => tableOf(id, properties, true)),
  ];
  const groups = resourcesOfType(model, 'AWS::Cognito::UserPoolGroup').flatMap(([logicalId, properties]) =>
    typeof properties.GroupName === 'string' ? [properties.GroupName] : [logicalId],
  );
  return { poolLogicalId, poolSettings, clients, tables, groups };
}

/**
 * A function's environment variables as written in the template (Globals merged), intrinsics kept: the
 * local environment resolves the ones that name a local resource (a table).
 */
export function rawEnvironmentOf(model: TemplateModel, logicalId: string): Json {
  const document = model.document;
  const globals =
    isObject(document.Globals) && isObject(document.Globals.Function) ? document.Globals.Function : {};
  const resources = isObject(document.Resources) ? document.Resources : {};
  const resource = resources[logicalId];
  const properties = isObject(resource) && isObject(resource.Properties) ? resource.Properties : {};
  const merged = mergeGlobals(globals, properties);
  const environment = isObject(merged) && isObject(merged.Environment) ? merged.Environment : {};
  return isObject(environment.Variables) ? environment.Variables : {};
}

/**
 * A line saying where the local pool's settings come from when the template does not create its own pool
 * (existing-pool mode); `undefined` when it does.
 *
 * @example
 * localPoolOrigin(model, templateResourcesOf(model));
 * // 'template.yaml creates no user pool (it attaches to an existing one): locally the triggers are attached to a pool with UserPool's settings'
 */
export function localPoolOrigin(model: TemplateModel, resources: TemplateResources): string | undefined {
  const { poolLogicalId } = resources;
  if (poolLogicalId !== undefined && resourceIsCreated(model, poolLogicalId)) return undefined;
  const settings = poolLogicalId === undefined ? 'the new-pool defaults' : `${poolLogicalId}'s settings`;
  return `${basename(model.path)} creates no user pool (it attaches to an existing one): locally the triggers are attached to a pool with ${settings}`;
}
