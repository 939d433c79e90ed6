/**
 * The local build: bundles each trigger function with esbuild using the options `sam build` derives from the
 * function's `Metadata.BuildProperties` (contract §7, "sam build with esbuild"), so `npm run build` and
 * `sam build` produce the same bundle. Output mirrors `.aws-sam/build/<LogicalId>/`: `dist/<LogicalId>/`.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Format, type Loader, type Message } from 'esbuild';
import type { CoreTriggerName } from '../shared/core-trigger.js';
import { jsonTypeOf } from '../shared/parse-event.js';
import { BuildError } from './errors.js';
import { DEFAULT_TEMPLATE_PATH, type FunctionSpec, functionByLogicalId, loadTemplate } from './template.js';

/** Options of {@link buildFunctions}. */
export type BuildFunctionsOptions = {
  /** Default: `template.yaml` at the repository root. */
  templatePath?: string;
  /** Default `dist`; a relative path is taken from the template's folder, like `.aws-sam`. */
  outDir?: string;
  /** Logical ids to build; default every trigger function of the template. */
  functions?: string[];
};

/** One built function. */
export type BuiltFunction = {
  logicalId: string;
  /** Absolute path of the bundle Lambda loads: `dist/<LogicalId>/<bundleFile>`. */
  bundlePath: string;
  bytes: number;
  gzipBytes: number;
  /** esbuild's warnings, one line each (`file:line: text`). */
  warnings: string[];
};

/** The function fields the esbuild options depend on. */
export type BuildInput = Pick<FunctionSpec, 'logicalId' | 'entryPoint' | 'buildProperties'>;

type Mapper = (value: unknown, key: string, logicalId: string) => BuildOptions;

function fail(logicalId: string, key: string, expected: string, value: unknown): never {
  throw new BuildError(logicalId, `BuildProperties.${key} must be ${expected}, found ${jsonTypeOf(value)}`);
}

function booleanOf(value: unknown, key: string, logicalId: string): boolean {
  if (typeof value !== 'boolean') fail(logicalId, key, 'true or false', value);
  return value;
}

function stringOf(value: unknown, key: string, logicalId: string): string {
  if (typeof value !== 'string' || value === '') fail(logicalId, key, 'a non-empty string', value);
  return value;
}

function listOf(value: unknown, key: string, logicalId: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    // Lambda Builders turns a list into repeated `--flag:item` arguments; any other shape breaks esbuild.
    fail(logicalId, key, 'a list of strings', value);
  }
  return value;
}

/** `['.js=.cjs']` -> `{ '.js': '.cjs' }`, as esbuild's `--flag:key=value` form reads it. */
function pairsOf(value: unknown, key: string, logicalId: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of listOf(value, key, logicalId)) {
    const equals = item.indexOf('=');
    if (equals <= 0) fail(logicalId, key, 'a list of "key=value" strings', item);
    pairs[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return pairs;
}

const FORMATS: readonly Format[] = ['cjs', 'esm', 'iife'];
const SOURCEMAPS = ['inline', 'external', 'linked', 'both'] as const;

/**
 * How each `BuildProperties` key reaches esbuild. Lambda Builders (`esbuild.py`) turns the snake_cased key
 * into a kebab-case flag: `true` -> `--flag` (`false` -> nothing), a string -> `--flag=value`, a list ->
 * `--flag:item` per item. These mappers produce the same options through esbuild's API.
 */
const MAPPERS: Readonly<Record<string, Mapper>> = {
  Minify: (value, key, id) => ({ minify: booleanOf(value, key, id) }),
  KeepNames: (value, key, id) => ({ keepNames: booleanOf(value, key, id) }),
  Sourcemap: (value, key, id) => {
    if (typeof value === 'boolean') return { sourcemap: value };
    if ((SOURCEMAPS as readonly unknown[]).includes(value))
      return { sourcemap: value as BuildOptions['sourcemap'] };
    return fail(id, key, `true, false or one of ${SOURCEMAPS.join(', ')}`, value);
  },
  SourcesContent: (value, key, id) => {
    // A YAML `false` would become no flag at all in Lambda Builders (esbuild's default, true): SAM docs
    // write the value as a string, so only the string form means what it says.
    if (value === true || value === 'true') return { sourcesContent: true };
    if (value === 'false') return { sourcesContent: false };
    return fail(id, key, `"true" or "false" (a quoted string; SAM drops a YAML false)`, value);
  },
  Target: (value, key, id) => ({ target: stringOf(value, key, id).split(',') }),
  Format: (value, key, id) => {
    const format = stringOf(value, key, id);
    if (!(FORMATS as readonly string[]).includes(format))
      fail(id, key, `one of ${FORMATS.join(', ')}`, value);
    return { format: format as Format };
  },
  MainFields: (value, key, id) => ({ mainFields: stringOf(value, key, id).split(',') }),
  External: (value, key, id) => ({ external: listOf(value, key, id) }),
  Loader: (value, key, id) => ({ loader: pairsOf(value, key, id) as Record<string, Loader> }),
  OutExtension: (value, key, id) => ({ outExtension: pairsOf(value, key, id) }),
  Define: (value, key, id) => ({ define: pairsOf(value, key, id) }),
  Banner: (value, key, id) => ({ banner: pairsOf(value, key, id) }),
  Footer: (value, key, id) => ({ footer: pairsOf(value, key, id) }),
  // Read by Lambda Builders itself, never passed to esbuild.
  EntryPoints: () => ({}),
  UseNpmCi: () => ({}),
};

/** Keys Lambda Builders fixes itself and silently ignores: an error here so the template does not mislead. */
const FIXED_BY_SAM = ['Bundle', 'Platform', 'Outdir'];

/**
 * The esbuild options `sam build` uses for a function: Lambda Builders' fixed `bundle`, `platform: node`
 * and output folder, its defaults (`target es2020`, `format cjs`, `minify`) for keys the template leaves
 * out, and each `BuildProperties` key mapped as Lambda Builders does. An unknown key is an error.
 */
export function esbuildOptionsFor(
  spec: BuildInput,
  dirs: { workingDir: string; outDir: string },
): BuildOptions {
  const properties = spec.buildProperties;
  const options: BuildOptions = {
    entryPoints: [spec.entryPoint],
    absWorkingDir: dirs.workingDir,
    outdir: dirs.outDir,
    bundle: true,
    platform: 'node',
    ...(Object.hasOwn(properties, 'Target') ? {} : { target: ['es2020'] }),
    ...(Object.hasOwn(properties, 'Format') ? {} : { format: 'cjs' as const }),
    ...(Object.hasOwn(properties, 'Minify') ? {} : { minify: true }),
  };
  for (const [key, value] of Object.entries(properties)) {
    if (FIXED_BY_SAM.includes(key)) {
      throw new BuildError(spec.logicalId, `BuildProperties.${key} is fixed by SAM and ignored; remove it`);
    }
    const mapper = Object.hasOwn(MAPPERS, key) ? MAPPERS[key] : undefined;
    if (mapper === undefined) {
      const known = Object.keys(MAPPERS).join(', ');
      throw new BuildError(spec.logicalId, `BuildProperties.${key} is not supported (known: ${known})`);
    }
    Object.assign(options, mapper(value, key, spec.logicalId));
  }
  return options;
}

function describeMessage(message: Message): string {
  const where = message.location === null ? '' : `${message.location.file}:${message.location.line}: `;
  return `${where}${message.text}`;
}

/**
 * Moves every file of `staging` into `outDir` (each rename atomic: a process loading the bundle meanwhile
 * sees the old file or the new one, never a missing or half-written one), then removes what the new build
 * did not write, so no stale file is deployed (as `sam build` starts from an empty folder).
 */
function replaceArtifacts(staging: string, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const written = new Set(readdirSync(staging));
  for (const name of written) renameSync(join(staging, name), join(outDir, name));
  for (const name of readdirSync(outDir)) {
    if (!written.has(name)) rmSync(join(outDir, name), { recursive: true, force: true });
  }
  rmSync(staging, { recursive: true, force: true });
}

async function buildOne(
  spec: FunctionSpec<CoreTriggerName>,
  workingDir: string,
  outRoot: string,
): Promise<BuiltFunction> {
  const outDir = join(outRoot, spec.logicalId);
  // Built beside the folder, then moved in: a running local pipeline keeps serving the previous bundle.
  mkdirSync(outRoot, { recursive: true });
  const staging = mkdtempSync(join(outRoot, `.${spec.logicalId}-`));
  const options = esbuildOptionsFor(spec, { workingDir, outDir: staging });
  let result: Awaited<ReturnType<typeof build>>;
  try {
    result = await build({ ...options, metafile: true, logLevel: 'silent' });
    writeFileSync(join(staging, 'meta.json'), `${JSON.stringify(result.metafile, null, 2)}\n`);
    if (!existsSync(join(staging, spec.bundleFile))) {
      const written = Object.keys(result.metafile?.outputs ?? {}).join(', ');
      throw new BuildError(
        spec.logicalId,
        `Handler ${spec.handler} needs ${spec.bundleFile}, but esbuild wrote ${written}`,
      );
    }
    replaceArtifacts(staging, outDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof BuildError) throw error;
    const errors = (error as { errors?: Message[] }).errors ?? [];
    const detail = errors.length > 0 ? errors.map(describeMessage).join('; ') : String(error);
    throw new BuildError(spec.logicalId, `esbuild failed: ${detail}`, { cause: error });
  }
  const bundlePath = join(outDir, spec.bundleFile);
  const bundle = readFileSync(bundlePath);
  return {
    logicalId: spec.logicalId,
    bundlePath,
    bytes: bundle.length,
    gzipBytes: gzipSync(bundle).length,
    warnings: result.warnings.map(describeMessage),
  };
}

/** Bundles the template's trigger functions (all, or those named) into `<outDir>/<LogicalId>/`. */
export async function buildFunctions(options: BuildFunctionsOptions = {}): Promise<BuiltFunction[]> {
  const model = loadTemplate(options.templatePath ?? DEFAULT_TEMPLATE_PATH);
  const workingDir = dirname(model.path);
  const outRoot = resolve(workingDir, options.outDir ?? 'dist');
  // The custom senders are built with the rest: the same bundle settings, the same checks.
  const buildable: FunctionSpec<CoreTriggerName>[] = [...model.functions, ...model.senderFunctions];
  const specs =
    options.functions === undefined
      ? buildable
      : options.functions.map(
          (logicalId) =>
            model.senderFunctions.find((spec) => spec.logicalId === logicalId) ??
            functionByLogicalId(model, logicalId),
        );
  return Promise.all(specs.map((spec) => buildOne(spec, workingDir, outRoot)));
}

/** `1536` -> `1.5 KiB`: a size for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}
