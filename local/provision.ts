/**
 * Creates what `template.yaml` declares in the local services, through their public APIs: the user pool, its
 * app clients (with and without secret), the groups post confirmation adds users to, and the DynamoDB
 * tables. Idempotent: with a kept `--data-dir`, what already exists (matched by name) is reused.
 *
 * The pool is created in either mode of the template: in existing-pool mode it stands in, locally, for the
 * pool the triggers are attached to (its settings: local/template-resources.ts).
 */
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolClientCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { LocalPipelineError } from './errors.js';
import { LOCAL_CREDENTIALS } from './function-environment.js';
import type { TableResource, TemplateResources } from './template-resources.js';

/** An app client as provisioned. */
export type ProvisionedClient = {
  logicalId: string;
  name: string;
  clientId: string;
  /** Only for a client created with `GenerateSecret: true`. */
  clientSecret?: string;
};

/** What exists after provisioning. */
export type ProvisionedResources = {
  userPoolId: string;
  userPoolName: string;
  clients: ProvisionedClient[];
  groups: string[];
  tables: string[];
};

/** Options of {@link provisionLocalResources}. */
export type ProvisionOptions = {
  cognitoUrl: string;
  dynamodbUrl: string;
  region: string;
  resources: TemplateResources;
  /** Groups to create besides the template's `AWS::Cognito::UserPoolGroup`s (post confirmation's lists). */
  groups?: readonly string[];
  /** Default `cognito-sign-up-local`. */
  poolName?: string;
};

function keySchemaOf(table: TableResource): {
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
} {
  const keys = [
    { ...table.partitionKey, role: 'HASH' as const },
    ...(table.sortKey === undefined ? [] : [{ ...table.sortKey, role: 'RANGE' as const }]),
  ];
  return {
    KeySchema: keys.map((key) => ({ AttributeName: key.name, KeyType: key.role })),
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
  };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new LocalPipelineError(`The local user pool returned no ${what}`);
  return value;
}

/**
 * Provisions the pool, clients, groups and tables; returns their ids.
 *
 * @example
 * const provisioned = await provisionLocalResources({ cognitoUrl, dynamodbUrl, region, resources });
 * provisioned.clients.find((client) => client.clientSecret !== undefined); // the confidential client
 */
export async function provisionLocalResources(options: ProvisionOptions): Promise<ProvisionedResources> {
  const credentials = { ...LOCAL_CREDENTIALS };
  const cognito = new CognitoIdentityProviderClient({
    region: options.region,
    endpoint: options.cognitoUrl,
    credentials,
  });
  const dynamodb = new DynamoDBClient({ region: options.region, endpoint: options.dynamodbUrl, credentials });
  const poolName = options.poolName ?? 'cognito-sign-up-local';
  try {
    const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    let userPoolId = pools.UserPools?.find((pool) => pool.Name === poolName)?.Id;
    if (userPoolId === undefined) {
      const created = await cognito.send(
        new CreateUserPoolCommand({
          ...(options.resources.poolSettings as Partial<CreateUserPoolCommandInput>),
          PoolName: poolName,
        }),
      );
      userPoolId = required(created.UserPool?.Id, 'pool id');
    }

    const existingClients = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
    );
    const clients: ProvisionedClient[] = [];
    for (const client of options.resources.clients) {
      let clientId = existingClients.UserPoolClients?.find(
        (found) => found.ClientName === client.name,
      )?.ClientId;
      if (clientId === undefined) {
        const created = await cognito.send(
          new CreateUserPoolClientCommand({
            ...(client.settings as Partial<CreateUserPoolClientCommandInput>),
            UserPoolId: userPoolId,
            ClientName: client.name,
            GenerateSecret: client.generateSecret,
          }),
        );
        clientId = required(created.UserPoolClient?.ClientId, 'client id');
      }
      const described = await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
      );
      const secret = described.UserPoolClient?.ClientSecret;
      clients.push({
        logicalId: client.logicalId,
        name: client.name,
        clientId,
        ...(secret === undefined ? {} : { clientSecret: secret }),
      });
    }

    const groups = [...new Set([...options.resources.groups, ...(options.groups ?? [])])];
    const existingGroups = await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: 60 }));
    const known = new Set((existingGroups.Groups ?? []).map((group) => group.GroupName));
    for (const group of groups) {
      if (!known.has(group))
        await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
    }

    const existingTables = new Set((await dynamodb.send(new ListTablesCommand({}))).TableNames ?? []);
    for (const table of options.resources.tables) {
      if (existingTables.has(table.name)) continue;
      await dynamodb.send(
        new CreateTableCommand({
          TableName: table.name,
          BillingMode: 'PAY_PER_REQUEST',
          ...keySchemaOf(table),
        }),
      );
    }

    return {
      userPoolId,
      userPoolName: poolName,
      clients,
      groups,
      tables: options.resources.tables.map((table) => table.name),
    };
  } finally {
    cognito.destroy();
    dynamodb.destroy();
  }
}
