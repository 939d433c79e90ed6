/**
 * The environment each trigger function runs with locally: what `sam local invoke` would give it (the
 * template's variables, Globals merged, then the `--env-vars` file), plus what points its AWS SDK clients at
 * the local services instead of AWS.
 */
import { join } from 'node:path';
import { applyEnvVars } from '../harness/env-vars.js';
import { PROJECT_ROOT } from '../harness/paths.js';
import type { FunctionSpec, TemplateModel } from '../harness/template.js';
import { isObject } from '../shared/parse-event.js';
import { rawEnvironmentOf, type TableResource } from './template-resources.js';

/** Where the local services listen, and the Region the pipeline pretends to be in. */
export type LocalServiceEndpoints = {
  /** The Cognito user pool API (cognito-local behind the pipeline's front). */
  cognito: string;
  /** DynamoDB (dynalite). */
  dynamodb: string;
  region: string;
};

/** The local account id, the one `sam local` uses too. */
export const LOCAL_ACCOUNT_ID = '123456789012';

/** The SDK's fake credentials: the local services do not check signatures. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * The local value of a variable the template reader could not resolve: a `!Ref` to a table is its local
 * name, a `!GetAtt Table.Arn` its local ARN; anything else (an event bus, a queue URL) stays empty, so the
 * action that needs it is off locally.
 */
function localValueOf(raw: unknown, tables: readonly TableResource[], region: string): string {
  if (!isObject(raw)) return '';
  const table = (logicalId: unknown) => tables.find((candidate) => candidate.logicalId === logicalId);
  if (typeof raw.Ref === 'string') return table(raw.Ref)?.name ?? '';
  const getAtt = raw['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn') {
    const found = table(getAtt[0]);
    if (found !== undefined) return `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:table/${found.name}`;
  }
  return '';
}

/**
 * A function's own variables for the local run: the template's (Globals merged), then the `--env-vars`
 * file, then the local names of the resources the template refers to (a table). This is what the
 * `--record` env-vars file holds.
 *
 * @example
 * const env = declaredLocalEnvironment(template, spec, envVars, tables, 'us-east-1');
 * env.PROFILE_TABLE; // 'ProfileTable'
 */
export function declaredLocalEnvironment(
  model: TemplateModel,
  spec: FunctionSpec,
  envVars: unknown,
  tables: readonly TableResource[],
  region: string,
): Record<string, string> {
  const environment = applyEnvVars(spec, envVars);
  const raw = rawEnvironmentOf(model, spec.logicalId);
  for (const name of spec.unresolved) {
    if (!Object.hasOwn(environment, name)) environment[name] = localValueOf(raw[name], tables, region);
  }
  return environment;
}

/**
 * The full environment of one function: its own variables plus what points its AWS SDK clients at the
 * local services.
 *
 * @example
 * const env = withLocalServices(declared, endpoints);
 * env.AWS_ENDPOINT_URL_DYNAMODB; // 'http://127.0.0.1:41234'
 */
export function withLocalServices(
  declared: Record<string, string>,
  endpoints: LocalServiceEndpoints,
): Record<string, string> {
  return {
    ...declared,
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    // SDK v3 reads a per-service endpoint from these (the service id, upper snake case).
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    // No instance metadata service to ask for credentials or a Region on a laptop.
    AWS_EC2_METADATA_DISABLED: 'true',
    // The Lambda runtime is Node.js 22: the SDK's warning about an older local Node.js says nothing about it.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Lambda's NODE_PATH finds the runtime's AWS SDK; locally it is the project's pinned copy.
    NODE_PATH: join(PROJECT_ROOT, 'node_modules'),
  };
}
