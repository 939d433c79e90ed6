/**
 * What a bundle may load at run time: Node.js built-in modules and the AWS SDK v3 (`@aws-sdk/*`), which the
 * Lambda Node.js runtime ships. Anything else left out of a bundle would be missing in Lambda: `aws-sdk` (v2,
 * which no runtime since nodejs18.x ships), or any other module marked `External` in `BuildProperties`.
 *
 * Three readings of a built function find the modules it loads: the external imports esbuild's metafile
 * records (`dist/<LogicalId>/meta.json`, written by harness/build-functions.ts), the `require("…")` calls
 * left in the bundle, and the SDK module names the bundle passes to a function first, because the triggers load the
 * SDK by name at run time (shared/load-external-module.ts), where esbuild cannot see it. A module loaded by a name
 * computed at run time is beyond any of them.
 */
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { isObject } from '../shared/parse-event.js';
import { esbuildOptionsFor } from './build-functions.js';
import { DEFAULT_TEMPLATE_PATH, loadTemplate } from './template.js';

/** A module a bundle loads that the Lambda runtime does not provide. */
export type RefusedImport = { module: string; reason: string };

/** One function's bundle and what esbuild recorded about it. */
export type BuiltBundle = { metafile: Metafile; code: string };

const REQUIRE_CALL = /\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g;
// An SDK module name as the first argument of a call (`loadExternalModule("@aws-sdk/client-ssm")`,
// `awsService("@aws-sdk/client-sqs", …)`, whatever the minifier named them); the same string as an object key
// (a dependency list of a package.json bundled in) is no load.
const SDK_NAME_CALL = /\(\s*(["'`])(@aws-sdk\/[^"'`\s]+|aws-sdk(?:\/[^"'`\s]*)?)\1\s*[,)]/g;

/** Every module name the bundle loads by a name it holds: sorted, each once. */
export function runtimeImportsOf(bundle: BuiltBundle): string[] {
  const names = new Set<string>();
  for (const output of Object.values(bundle.metafile.outputs)) {
    for (const imported of output.imports) if (imported.external === true) names.add(imported.path);
  }
  for (const match of bundle.code.matchAll(REQUIRE_CALL)) if (match[2] !== undefined) names.add(match[2]);
  for (const match of bundle.code.matchAll(SDK_NAME_CALL)) if (match[2] !== undefined) names.add(match[2]);
  return [...names].sort();
}

/** Why the runtime cannot load `module`, or undefined when it can. */
export function refusalOf(module: string): string | undefined {
  if (isBuiltin(module)) return undefined;
  if (module.startsWith('node:')) return 'not a built-in module of this Node.js';
  if (module === 'aws-sdk' || module.startsWith('aws-sdk/')) {
    return 'the AWS SDK v2, which the Lambda Node.js runtimes no longer ship (since nodejs18.x): use @aws-sdk/*';
  }
  if (/^@aws-sdk\/[a-z0-9][a-z0-9._-]*(\/.*)?$/.test(module)) return undefined;
  return 'neither a Node.js built-in nor @aws-sdk/*, the only modules the Lambda runtime provides: bundle it';
}

/** The modules `bundle` loads that the Lambda runtime does not provide. */
export function refusedImportsOf(bundle: BuiltBundle): RefusedImport[] {
  return runtimeImportsOf(bundle).flatMap((module) => {
    const reason = refusalOf(module);
    return reason === undefined ? [] : [{ module, reason }];
  });
}

/** One function's result: what it loads that Lambda lacks, or that it was not built. */
export type FunctionImports = {
  logicalId: string;
  /** `dist` for a trigger function (what `npm run build` wrote); `built here` for the others. */
  source: 'dist' | 'built here' | 'not built';
  refused: RefusedImport[];
};

/** What {@link checkTemplateBundles} reads. */
export type CheckTemplateBundlesOptions = {
  /** Default: `template.yaml` at the repository root. */
  templatePath?: string;
  /** Default `dist` beside the template, as `npm run build` writes it. */
  distDir?: string;
};

/** A function bundled in memory with its template's BuildProperties, as `sam build` would bundle it. */
async function bundleInMemory(
  logicalId: string,
  resource: Record<string, unknown>,
  workingDir: string,
): Promise<BuiltBundle> {
  const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
  const properties = isObject(resource.Properties) ? resource.Properties : {};
  const buildProperties = isObject(metadata.BuildProperties) ? metadata.BuildProperties : {};
  const [entryPoint] = Array.isArray(buildProperties.EntryPoints) ? buildProperties.EntryPoints : [];
  if (typeof entryPoint !== 'string') {
    throw new Error(`${logicalId}: Metadata.BuildProperties.EntryPoints names no entry point to check`);
  }
  const codeUri = typeof properties.CodeUri === 'string' ? properties.CodeUri : '.';
  const options = esbuildOptionsFor(
    { logicalId, entryPoint: posix.join(codeUri, entryPoint), buildProperties },
    { workingDir, outDir: join(workingDir, 'dist', logicalId) },
  );
  const result = await build({ ...options, write: false, metafile: true, logLevel: 'silent' });
  const code = result.outputFiles.map((file) => file.text).join('\n');
  return { metafile: result.metafile, code };
}

function readBuilt(dir: string, bundleFile: string): BuiltBundle | undefined {
  try {
    const metafile = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Metafile;
    return { metafile, code: readFileSync(join(dir, bundleFile), 'utf8') };
  } catch {
    return undefined;
  }
}

/**
 * Checks every function of the template that `sam build` bundles with esbuild: the trigger functions as
 * `npm run build` wrote them to `dist/` (one not built yet is reported `not built`), the others (the
 * custom resource's TriggerAttachFunction) bundled here in memory with their own BuildProperties.
 */
export async function checkTemplateBundles(
  options: CheckTemplateBundlesOptions = {},
): Promise<FunctionImports[]> {
  const model = loadTemplate(options.templatePath ?? DEFAULT_TEMPLATE_PATH);
  const workingDir = dirname(model.path);
  const distDir = options.distDir ?? join(workingDir, 'dist');
  const resources = isObject(model.document.Resources) ? model.document.Resources : {};
  const results: FunctionImports[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::Serverless::Function') continue;
    if (!isObject(resource.Metadata) || resource.Metadata.BuildMethod !== 'esbuild') continue;
    const trigger = model.functions.find((spec) => spec.logicalId === logicalId);
    if (trigger === undefined) {
      const bundle = await bundleInMemory(logicalId, resource, workingDir);
      results.push({ logicalId, source: 'built here', refused: refusedImportsOf(bundle) });
      continue;
    }
    const built = readBuilt(join(distDir, logicalId), trigger.bundleFile);
    results.push(
      built === undefined
        ? { logicalId, source: 'not built', refused: [] }
        : { logicalId, source: 'dist', refused: refusedImportsOf(built) },
    );
  }
  return results;
}
