/**
 * What `npm start` prints once the pipeline is ready: where everything is, and a sign-up to paste.
 */
import { relative } from 'node:path';
import type { PipelineState } from './state-file.js';

/** Quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The `aws cognito-idp sign-up` command against the local pool, with the client that needs no secret. */
export function signUpCommand(state: PipelineState, email = 'jane@example.com'): string {
  return [
    'aws cognito-idp sign-up',
    `--endpoint-url ${state.endpoints.cognito}`,
    `--region ${state.region}`,
    `--client-id ${state.clientId}`,
    `--username ${shellQuote(email)}`,
    `--password ${shellQuote('Correct-Horse-42')}`,
    `--user-attributes Name=email,Value=${shellQuote(email)}`,
  ].join(' \\\n    ');
}

/**
 * The ready banner.
 *
 * @example
 * process.stdout.write(readyBanner(state, stateFile));
 */
export function readyBanner(state: PipelineState, stateFile: string, cwd: string = process.cwd()): string {
  const show = (path: string) => {
    const near = relative(cwd, path);
    return near.startsWith('..') ? path : near;
  };
  const clients = state.clients
    .map(
      (client) =>
        `    ${client.name.padEnd(14)} ${client.clientId}${client.clientSecret === undefined ? '' : `  (secret ${client.clientSecret})`}`,
    )
    .join('\n');
  const functions = Object.entries(state.functions)
    .map(([trigger, name]) => `${trigger} -> ${name}`)
    .join(', ');
  return `
Local sign-up pipeline ready in ${((state.readyMs ?? 0) / 1000).toFixed(1)} s

  User pool API   ${state.endpoints.cognito}   (cognito-local; --endpoint-url / SDK endpoint)
  Lambda API      ${state.endpoints.lambda}   (${functions})
  DynamoDB        ${state.endpoints.dynamodb}   (dynalite; tables: ${state.tables.join(', ') || 'none'})
  Region          ${state.region}
  User pool id    ${state.userPoolId}
  App clients
${clients}
  Groups          ${state.groups.join(', ') || 'none'}
  Inbox           ${show(state.inboxDir)}   (open index.html; messages.jsonl lists every message)
  State file      ${show(stateFile)}${state.recordDir === undefined ? '' : `\n  Recording to    ${show(state.recordDir)}`}

Sign up with the AWS CLI (sign-up needs no credentials; admin commands take any, e.g. AWS_ACCESS_KEY_ID=local
AWS_SECRET_ACCESS_KEY=local, since the local services check no signature):

  ${signUpCommand(state)}

Then confirm with the code from the inbox:

  aws cognito-idp confirm-sign-up --endpoint-url ${state.endpoints.cognito} --region ${state.region} \\
    --client-id ${state.clientId} --username jane@example.com --confirmation-code <code>

Every trigger invocation is shown below. Ctrl-C stops everything and prints what the functions' metrics
counted.
`;
}
