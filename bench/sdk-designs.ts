/**
 * Three ways a trigger can get the AWS SDK, built from the same sources: the shipped lazy loading, the SDK
 * required at module scope (init), and only the clients and commands the sources name bundled into the
 * function (evaluated on first use). The last two are esbuild plugins that replace
 * `shared/load-external-module.ts`, the one place the triggers load the SDK through; nothing else changes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { esbuildOptionsFor } from '../harness/build-functions.js';
import { PROJECT_ROOT } from '../harness/paths.js';
import { anyFunctionByLogicalId, type FunctionSpec, type TemplateModel } from '../harness/template.js';
import type { CoreTriggerName } from '../shared/core-trigger.js';

/** How a function gets the AWS SDK. */
export const SdkDesign = {
  /** As shipped: `@aws-sdk/*` external, each module `require`d the first time a rule needs it. */
  Lazy: 'lazy',
  /** External too, but the modules the configuration uses are `require`d at module scope (init). */
  Init: 'init',
  /** Only the clients and commands the sources name, bundled in, evaluated the first time a rule needs them. */
  Commands: 'commands',
} as const;

/** One of {@link SdkDesign}. */
export type SdkDesign = (typeof SdkDesign)[keyof typeof SdkDesign];

/** The file every SDK load goes through; the variants replace it. */
const LOADER = /[\\/]shared[\\/]load-external-module\.ts$/;
const SLICE_NAMESPACE = 'bench-sdk-slice';
const SDK_MODULE = /['"](@aws-sdk\/client-[a-z0-9-]+)['"]/g;
const CLIENT_OR_COMMAND = /\b[A-Z][A-Za-z0-9]*(?:Client|Command)\b/g;

/** The SDK a bundle's own sources use: each client package, with the clients and commands they name. */
export type SdkUsage = Record<string, string[]>;

/**
 * The SDK packages the sources name (`'@aws-sdk/client-…'`) and, for each, the exported names ending in
 * `Client` or `Command` that appear in the sources. `exportsOf` lists a package's exports. Pure apart from
 * what `exportsOf` does.
 */
export function sdkUsageOf(sources: readonly string[], exportsOf: (specifier: string) => string[]): SdkUsage {
  const text = sources.join('\n');
  const specifiers = [...new Set([...text.matchAll(SDK_MODULE)].map((match) => match[1] ?? ''))].sort();
  const identifiers = new Set(text.match(CLIENT_OR_COMMAND) ?? []);
  const usage: SdkUsage = {};
  for (const specifier of specifiers) {
    const names = exportsOf(specifier)
      .filter((name) => identifiers.has(name))
      .sort();
    if (names.length > 0) usage[specifier] = names;
  }
  return usage;
}

/** What the module `specifier`, resolved from the project, exports. */
function projectExportsOf(specifier: string): string[] {
  const load = createRequire(join(PROJECT_ROOT, 'package.json'));
  return Object.keys(load(specifier) as object);
}

/** The project's own sources among a build's inputs (its node_modules left out), as text. */
function projectSources(metafile: Metafile, workingDir: string): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !input.includes('node_modules') && !input.includes(':'))
    .map((input) => readFileSync(isAbsolute(input) ? input : resolve(workingDir, input), 'utf8'));
}

/** `loadExternalModule` returning modules `require`d at module scope (external, like the shipped bundle). */
export function initLoaderSource(specifiers: readonly string[]): string {
  const entries = specifiers.map(
    (specifier) => `  ${JSON.stringify(specifier)}: require(${JSON.stringify(specifier)}),`,
  );
  return [
    '// bench variant "init": the SDK modules the configuration uses, required while the bundle loads.',
    'const preloaded: Record<string, unknown> = {',
    ...entries,
    '};',
    'export async function loadExternalModule<T>(specifier: string): Promise<T> {',
    '  return (preloaded[specifier] ?? require(specifier)) as T;',
    '}',
    '',
  ].join('\n');
}

/** `loadExternalModule` importing a bundled slice of each package (esbuild keeps `import()` lazy). */
export function commandsLoaderSource(usage: SdkUsage): string {
  const entries = Object.keys(usage).map(
    (specifier) =>
      `  ${JSON.stringify(specifier)}: () => import(${JSON.stringify(`${SLICE_NAMESPACE}:${specifier}`)}),`,
  );
  return [
    '// bench variant "commands": only the clients and commands the sources name, bundled in.',
    'const slices: Record<string, () => Promise<unknown>> = {',
    ...entries,
    '};',
    'export async function loadExternalModule<T>(specifier: string): Promise<T> {',
    '  const slice = slices[specifier];',
    "  if (slice === undefined) throw new Error('bench: ' + specifier + ' is not among the bundled SDK slices');",
    '  return (await slice()) as T;',
    '}',
    '',
  ].join('\n');
}

/** `export { names } from 'package'`: what the bundle keeps of one package, tree-shaken by esbuild. */
export function sliceSource(specifier: string, names: readonly string[]): string {
  return `export { ${names.join(', ')} } from ${JSON.stringify(specifier)};\n`;
}

function replaceLoader(
  name: string,
  contents: string,
  extra: (build: Parameters<Plugin['setup']>[0]) => void = () => {},
): Plugin {
  return {
    name,
    setup(builder) {
      builder.onLoad({ filter: LOADER }, () => ({ loader: 'ts', contents }));
      extra(builder);
    },
  };
}

/** The esbuild plugin of the init design: the listed packages are required at module scope. */
export function sdkAtInitPlugin(specifiers: readonly string[]): Plugin {
  return replaceLoader('bench-sdk-at-init', initLoaderSource(specifiers));
}

/** The esbuild plugin of the commands design: one bundled slice per package of `usage`. */
export function sdkCommandsPlugin(usage: SdkUsage): Plugin {
  return replaceLoader('bench-sdk-commands', commandsLoaderSource(usage), (builder) => {
    const prefix = `${SLICE_NAMESPACE}:`;
    builder.onResolve({ filter: new RegExp(`^${SLICE_NAMESPACE}:`) }, (args) => ({
      path: args.path.slice(prefix.length),
      namespace: SLICE_NAMESPACE,
    }));
    builder.onLoad({ filter: /.*/, namespace: SLICE_NAMESPACE }, (args) => ({
      loader: 'ts',
      resolveDir: PROJECT_ROOT,
      contents: sliceSource(args.path, usage[args.path] ?? []),
    }));
  });
}

/** A built bundle. */
export type BuiltBundle = { path: string; bytes: number; gzipBytes: number; metafile: Metafile };

async function buildWith(
  spec: FunctionSpec<CoreTriggerName>,
  template: TemplateModel,
  entry: string,
  outDir: string,
  adjust: (options: BuildOptions) => BuildOptions,
): Promise<BuiltBundle> {
  const workingDir = dirname(template.path);
  const options = esbuildOptionsFor(
    { logicalId: spec.logicalId, entryPoint: entry, buildProperties: spec.buildProperties },
    { workingDir, outDir },
  );
  const result = await build({ ...adjust(options), metafile: true, logLevel: 'silent' });
  const output = Object.entries(result.metafile.outputs).find(([, meta]) => meta.entryPoint !== undefined);
  if (output === undefined) throw new Error(`esbuild wrote no bundle for ${entry}`);
  const path = resolve(workingDir, output[0]);
  const bytes = readFileSync(path);
  return { path, bytes: bytes.length, gzipBytes: gzipSync(bytes).length, metafile: result.metafile };
}

/** What {@link buildDesign} needs besides the template. */
export type DesignBuild = {
  logicalId: string;
  /** Another entry point than the function's own (a baseline or variant), relative to the template. */
  entry?: string;
  design: SdkDesign;
  outDir: string;
  /** For {@link SdkDesign.Init}: the packages to require at module scope. */
  initModules?: readonly string[];
};

/**
 * Builds a function (or another entry point with its options) in one design. The lazy design is the
 * template's own build; the others add their plugin, and the commands design bundles `@aws-sdk/*` (preferring
 * its ES module builds, which esbuild can tree-shake) with the clients and commands the lazy build's sources
 * name.
 */
export async function buildDesign(
  template: TemplateModel,
  request: DesignBuild,
): Promise<BuiltBundle & { sdk: SdkUsage }> {
  const spec = anyFunctionByLogicalId(template, request.logicalId);
  const entry = request.entry ?? spec.entryPoint;
  const lazy = await buildWith(spec, template, entry, join(request.outDir, 'lazy'), (options) => options);
  const sdk = sdkUsageOf(projectSources(lazy.metafile, dirname(template.path)), projectExportsOf);
  switch (request.design) {
    case SdkDesign.Lazy:
      return { ...lazy, sdk };
    case SdkDesign.Init:
      return {
        ...(await buildWith(spec, template, entry, join(request.outDir, 'init'), (options) => ({
          ...options,
          plugins: [sdkAtInitPlugin(request.initModules ?? [])],
        }))),
        sdk,
      };
    case SdkDesign.Commands:
      return {
        ...(await buildWith(spec, template, entry, join(request.outDir, 'commands'), (options) => ({
          ...options,
          external: (options.external ?? []).filter((pattern) => !pattern.startsWith('@aws-sdk/')),
          mainFields: ['module', 'main'],
          plugins: [sdkCommandsPlugin(sdk)],
        }))),
        sdk,
      };
  }
}
