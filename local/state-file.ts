/**
 * The state file of a running pipeline: the JSON facts `npm start` prints (endpoints, pool and client ids,
 * the inbox), with a `ready` flag, so scripts and tests can wait for it and drive the pool. It is written
 * three times: `{ ready: false, pid, startedAt, dataDir }` at start (before the build, so a reused path never
 * shows a stale `ready: true`), the whole state with `ready: true` once ready, and `ready: false` with
 * `stoppedAt` (and `error` when the start failed) at the end.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** An app client of the local pool. */
export type StateClient = { name: string; clientId: string; clientSecret?: string };

/** What the state file says while the pipeline starts, and after a start that did not get ready. */
export type StartingState = {
  ready: false;
  /** The process that runs the pipeline. */
  pid: number;
  startedAt: string;
  /** The data folder (a temporary one is removed at exit). */
  dataDir: string;
  /** Set once the start ended without getting ready (stopped by a signal, or failed). */
  stoppedAt?: string;
  /** Why the start failed (one line), when it did. */
  error?: string;
};

/** The content of the state file once the pipeline was ready. */
export type PipelineState = {
  /** `true` once everything is up and provisioned; `false` again after a stop. */
  ready: boolean;
  /** The process that runs the pipeline (Ctrl-C or SIGTERM to it stops everything). */
  pid: number;
  startedAt: string;
  readyAt?: string;
  /** Milliseconds from start to ready, the build included. */
  readyMs?: number;
  stoppedAt?: string;
  region: string;
  endpoints: {
    /** The user pool API: `--endpoint-url` for `aws cognito-idp`, `endpoint` for an SDK client. */
    cognito: string;
    /** The Lambda Invoke API serving the trigger functions. */
    lambda: string;
    /** DynamoDB (dynalite). */
    dynamodb: string;
  };
  userPoolId: string;
  /** The client without a secret (browsers, mobile apps). */
  clientId: string;
  /** The client with a secret: every call needs a SecretHash. */
  confidentialClientId?: string;
  confidentialClientSecret?: string;
  /** Every client by its template name. */
  clients: StateClient[];
  groups: string[];
  tables: string[];
  /** Trigger name -> function name, as the pool calls them. */
  functions: Record<string, string>;
  /** Folder of delivered messages (`messages.jsonl` lists them). */
  inboxDir: string;
  dataDir: string;
  /** Where `--record` writes fixtures, when recording. */
  recordDir?: string;
  /** The `--env-vars` file the functions run with. */
  envVarsFile: string;
};

/** Any content of the state file: narrow with `state.ready === true` to read the endpoints. */
export type StateFileContent = PipelineState | StartingState;

/** Writes the state atomically (a reader never sees half a file). */
export function writeStateFile(path: string, state: StateFileContent): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Reads a state file; `undefined` while it does not exist or is not complete JSON. */
export function readStateFile(path: string): StateFileContent | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StateFileContent;
  } catch {
    return undefined;
  }
}
