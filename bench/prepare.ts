/**
 * Turns candidates into something a process can run: a bundle built with the esbuild options of the
 * candidate's template function, the function's environment, and an event file.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildFunctions, esbuildOptionsFor } from '../harness/build-functions.js';
import { applyEnvVars } from '../harness/env-vars.js';
import { readJsonFile } from '../harness/fixtures.js';
import { functionByLogicalId, type TemplateModel } from '../harness/template.js';
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
  const spec = functionByLogicalId(template, logicalId);
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

/**
 * Builds every candidate into `outRoot` (a template function through `buildFunctions`, an `entry` with that
 * function's options) and resolves its environment and event.
 */
export async function prepareCandidates(
  template: TemplateModel,
  candidates: readonly Candidate[],
  outRoot: string,
): Promise<Prepared[]> {
  const root = dirname(template.path);
  const envVars = readJsonFile(join(root, 'events', 'env.json'));
  return Promise.all(
    candidates.map(async (candidate): Promise<Prepared> => {
      if (candidate.function === undefined) return { candidate, environment: {}, memoryMb: 0 };
      const spec = functionByLogicalId(template, candidate.function);
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
      return {
        candidate,
        bundle: { ...built, exportName: spec.exportName },
        environment: { ...applyEnvVars(spec, envVars), ...candidate.env },
        memoryMb: spec.memoryMb,
        ...(candidate.event === undefined ? {} : { eventPath: join(root, 'events', candidate.event) }),
      };
    }),
  );
}
