/**
 * Turns candidates into something a process can run: a bundle built with the esbuild options of the
 * candidate's template function, the function's environment, and an event file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildFunctions, esbuildOptionsFor } from '../harness/build-functions.js';
import { encryptCode } from '../harness/custom-sender-cipher.js';
import { applyEnvVars } from '../harness/env-vars.js';
import { readJsonFile } from '../harness/fixtures.js';
import { anyFunctionByLogicalId, type FunctionSpec, type TemplateModel } from '../harness/template.js';
import type { RawAesCodeKey } from '../shared/custom-sender/code-cipher.js';
import type { CustomSenderTriggerName } from '../shared/custom-sender/events.js';
import type { Candidate } from './candidates.js';

/** A candidate ready to run. The `node -e 0` reference has no bundle. */
export type Prepared = {
  candidate: Candidate;
  bundle?: { path: string; exportName: string; bytes: number; gzipBytes: number };
  /** The function's variables (template, `events/env.json`, the candidate's own), before Lambda's. */
  environment: Record<string, string>;
  memoryMb: number;
  eventPath?: string;
};

/** Bundles `entry` exactly as the function's own entry point would be bundled (same esbuild options). */
async function buildEntry(
  template: TemplateModel,
  logicalId: string,
  entry: string,
  outDir: string,
): Promise<{ path: string; bytes: number; gzipBytes: number }> {
  const spec = anyFunctionByLogicalId(template, logicalId);
  const options = esbuildOptionsFor(
    { logicalId, entryPoint: entry, buildProperties: spec.buildProperties },
    { workingDir: dirname(template.path), outDir },
  );
  const result = await build({ ...options, metafile: true, logLevel: 'silent' });
  const output = Object.entries(result.metafile.outputs).find(([, meta]) => meta.entryPoint !== undefined);
  if (output === undefined) throw new Error(`esbuild wrote no bundle for ${entry}`);
  const path = resolve(dirname(template.path), output[0]);
  const bytes = readFileSync(path);
  return { path, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
}

function requireSenders(senders: SenderBenchServices | undefined, id: string): SenderBenchServices {
  if (senders === undefined) throw new Error(`${id}: a custom sender candidate needs the sender services`);
  return senders;
}

/** What a custom sender candidate needs: the run's code key and where its SES/SNS calls go. */
export type SenderBenchServices = { key: RawAesCodeKey & { base64: string }; mailUrl: string };

/**
 * A custom sender's event as Cognito sends it: the fixture's `<encrypt:…>` code encrypted with the run's key,
 * written beside the bundle; and the variables that make the function decrypt with that key and deliver to
 * the loopback stand-in.
 */
async function senderInput(eventPath: string, outDir: string, services: SenderBenchServices) {
  const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
    userPoolId: string;
    request: { code: string };
  };
  const plaintext = /^<encrypt:([\s\S]*)>$/.exec(event.request.code)?.[1] ?? '';
  event.request.code = await encryptCode(plaintext, { ...services.key, userPoolId: event.userPoolId });
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'event.json');
  writeFileSync(path, JSON.stringify(event));
  const environment = {
    CODE_KEY_ARN: '',
    CODE_KEY_RAW_AES: services.key.base64,
    EMAIL_FROM_ADDRESS: 'Bench <no-reply@example.com>',
    SEND_ONCE_TABLE: '',
    AWS_ENDPOINT_URL_SESV2: services.mailUrl,
    AWS_ENDPOINT_URL_SNS: services.mailUrl,
    // Static credentials and a Region: the SDK would otherwise look for them (no instance metadata here).
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return { path, environment };
}

/**
 * Builds every candidate into `outRoot` (a template function through `buildFunctions`, an `entry` with that
 * function's options) and resolves its environment and event.
 */
export async function prepareCandidates(
  template: TemplateModel,
  candidates: readonly Candidate[],
  outRoot: string,
  senders?: SenderBenchServices,
): Promise<Prepared[]> {
  const root = dirname(template.path);
  const envVars = readJsonFile(join(root, 'events', 'env.json'));
  return Promise.all(
    candidates.map(async (candidate): Promise<Prepared> => {
      if (candidate.function === undefined) return { candidate, environment: {}, memoryMb: 0 };
      const spec = anyFunctionByLogicalId(template, candidate.function);
      const outDir = join(outRoot, candidate.id);
      let built: { path: string; bytes: number; gzipBytes: number };
      if (candidate.entry === undefined) {
        const [own] = await buildFunctions({
          templatePath: template.path,
          outDir,
          functions: [spec.logicalId],
        });
        if (own === undefined) throw new Error(`${spec.logicalId} was not built`);
        built = { path: own.bundlePath, bytes: own.bytes, gzipBytes: own.gzipBytes };
      } else {
        built = await buildEntry(template, spec.logicalId, candidate.entry, outDir);
      }
      const eventPath = candidate.event === undefined ? undefined : join(root, 'events', candidate.event);
      const sender =
        eventPath !== undefined &&
        template.senderFunctions.includes(spec as FunctionSpec<CustomSenderTriggerName>)
          ? await senderInput(eventPath, outDir, requireSenders(senders, candidate.id))
          : undefined;
      return {
        candidate,
        bundle: { ...built, exportName: spec.exportName },
        environment: {
          ...applyEnvVars(spec as FunctionSpec, envVars),
          ...sender?.environment,
          ...candidate.env,
        },
        memoryMb: spec.memoryMb,
        ...(eventPath === undefined ? {} : { eventPath: sender?.path ?? eventPath }),
      };
    }),
  );
}
