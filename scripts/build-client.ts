/**
 * `npm run build:client`
 *
 * Builds the client package (`packages/client`, docs/client.md) from the very sources the triggers run: each
 * entry (`packages/client/src/<name>.ts`, one per subpath of the package's `exports`) and the shared/ modules
 * it reaches, one copy. tsc emits the declarations (and type-checks); esbuild compiles each file, unbundled,
 * to ESM (`dist/esm`) and to CommonJS (`dist/cjs`, marked as such by a package.json of its own), and each tree
 * gets the declarations, so TypeScript reads ESM types for `import` and CommonJS types for `require`. The
 * layout inside dist: `<name>.js` for an entry, `shared/<module>.js` for what it reaches. `npm pack` in
 * packages/client runs this first (its `prepack`). Exit 1 on failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Format } from 'esbuild';
import { runMain } from '../cli/run-main.js';
import { PROJECT_ROOT } from '../harness/paths.js';

/** The package's folder. */
export const CLIENT_PACKAGE_DIR = join(PROJECT_ROOT, 'packages', 'client');

/** The two module formats the package ships, each in its own tree under `dist/`. */
export const CLIENT_FORMATS = ['esm', 'cjs'] as const;

/** One entry of the package: a subpath of its `exports`. */
export type ClientEntry = {
  /** The subpath as `exports` spells it: `.`, `./invite`, … */
  subpath: string;
  /** The file name in dist and src: `client` for `dist/esm/client.js` and `src/client.ts`. */
  name: string;
  /** The entry's source, absolute. */
  source: string;
};

/** What one build wrote. */
export type ClientBuild = {
  entries: ClientEntry[];
  /** Every file written, relative to the package folder (`dist/esm/client.js`, …), sorted. */
  files: string[];
};

/** The package cannot be built as declared: a wrong `exports` map, a type error, a stray import. */
export class ClientBuildError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClientBuildError';
  }
}

const ENTRY_NAME = /^[a-z][a-z0-9-]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The entries `manifest` (the package's package.json) declares. Each subpath other than `./package.json` must
 * map `import` to `./dist/esm/<name>.d.ts` and `.js`, and `require` to the same under `./dist/cjs/`, in that
 * order (`types` first, as TypeScript requires); `.` is named `client`, `./<name>` is `<name>`.
 *
 * @throws ClientBuildError naming the subpath that breaks the layout.
 */
export function clientEntries(manifest: unknown, packageDir = CLIENT_PACKAGE_DIR): ClientEntry[] {
  const exportsMap = isRecord(manifest) ? manifest.exports : undefined;
  if (!isRecord(exportsMap)) throw new ClientBuildError('package.json has no "exports" map');
  const entries: ClientEntry[] = [];
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath === './package.json') continue;
    const name = subpath === '.' ? 'client' : subpath.slice(2);
    if (!(subpath === '.' || subpath.startsWith('./')) || !ENTRY_NAME.test(name)) {
      throw new ClientBuildError(`exports["${subpath}"]: a subpath is "." or "./<kebab-case name>"`);
    }
    const expected = Object.fromEntries(
      (['import', 'require'] as const).map((condition) => {
        const tree = condition === 'import' ? 'esm' : 'cjs';
        return [condition, { types: `./dist/${tree}/${name}.d.ts`, default: `./dist/${tree}/${name}.js` }];
      }),
    );
    if (JSON.stringify(target) !== JSON.stringify(expected)) {
      throw new ClientBuildError(`exports["${subpath}"] must be ${JSON.stringify(expected)}`);
    }
    entries.push({ subpath, name, source: join(packageDir, 'src', `${name}.ts`) });
  }
  if (entries.length === 0) throw new ClientBuildError('package.json "exports" names no entry');
  return entries;
}

/**
 * Where a source file goes inside a format's tree, without extension: `shared/<module>` for a shared module,
 * `<name>` for an entry.
 *
 * @throws ClientBuildError for any other file: the package holds only its entries and shared/.
 */
export function packagePathOf(source: string, packageDir = CLIENT_PACKAGE_DIR): string {
  const fromSrc = relative(join(packageDir, 'src'), source);
  const fromShared = relative(join(PROJECT_ROOT, 'shared'), source);
  const inside = (path: string) => !path.startsWith('..') && !path.includes(sep) && path.endsWith('.ts');
  if (inside(fromSrc)) return fromSrc.slice(0, -'.ts'.length);
  if (inside(fromShared)) return `shared/${fromShared.slice(0, -'.ts'.length)}`;
  throw new ClientBuildError(
    `${relative(PROJECT_ROOT, source)} is neither an entry nor a shared/ module: the package cannot hold it`,
  );
}

// How an entry (packages/client/src/) names a shared module, and how it does from dist/<format>/.
const SHARED_FROM_SOURCE = /(['"])\.\.\/\.\.\/\.\.\/shared\//g;

/** An entry's output with its imports of shared modules pointed at `./shared/` (the layout inside dist). */
export function pointAtPackagedShared(text: string): string {
  return text.replace(SHARED_FROM_SOURCE, '$1./shared/');
}

// Static imports and re-exports, `require(…)` and `import(…)`: what a compiled file or declaration loads.
const SPECIFIER = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)(['"])([^'"]+)\1/g;

/** The module specifiers a compiled file or declaration file names. */
export function specifiersOf(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((match) => match[2] ?? '');
}

const NODE_BUILTINS = new Set(builtinModules);

/**
 * What is wrong with `specifier` in `file` (a path in dist), or `undefined`: a relative specifier must name a
 * file of the package (`./x.js`, whose declaration is `./x.d.ts`), anything else a `node:` built-in. The
 * package has no dependencies, so a bare specifier is always a mistake.
 */
function specifierProblem(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('node:')) {
    return NODE_BUILTINS.has(specifier.slice('node:'.length)) ? undefined : 'not a Node.js built-in';
  }
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return 'not a file of the package';
  const target = resolve(dirname(file), specifier);
  const wanted = file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target;
  return existsSync(wanted) ? undefined : `names ${relative(dirname(file), wanted)}, which was not built`;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Runs tsc over the entries; returns the declaration files it wrote, absolute. */
function emitDeclarations(entries: readonly ClientEntry[], workDir: string): string[] {
  const outDir = join(workDir, 'declarations');
  // Inside the repository (under dist/), so `types: ["node"]` of the root config resolves as it does there.
  const configPath = join(workDir, 'tsconfig.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      extends: join(PROJECT_ROOT, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        rootDir: PROJECT_ROOT,
        outDir,
      },
      files: entries.map((entry) => entry.source),
      include: [],
    }),
  );
  const tsc = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(tsc, ['-p', configPath, '--listEmittedFiles'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error !== undefined || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new ClientBuildError(`tsc could not emit the declarations:\n${output}`, { cause: result.error });
  }
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('TSFILE: '))
    .map((line) => line.slice('TSFILE: '.length).trim());
}

/** The source a declaration file was emitted from (`<outDir>/shared/x.d.ts` -> `<root>/shared/x.ts`). */
function sourceOfDeclaration(declaration: string, outDir: string): string {
  return join(PROJECT_ROOT, relative(outDir, declaration).replace(/\.d\.ts$/, '.ts'));
}

/** Compiles each source file by itself to `format`; returns the outputs keyed by package path. */
async function compile(sources: readonly string[], format: Format): Promise<Map<string, string>> {
  const outdir = join(CLIENT_PACKAGE_DIR, 'dist', format);
  const result = await build({
    entryPoints: sources.map((source) => ({ in: source, out: packagePathOf(source) })),
    outdir,
    bundle: false,
    format,
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return new Map(
    result.outputFiles.map((file) => [relative(outdir, file.path).replace(/\.js$/, ''), file.text]),
  );
}

/**
 * Builds `packages/client/dist` afresh (see the module comment) and checks that every import of every file
 * it wrote resolves inside the package or to a Node.js built-in.
 *
 * @throws ClientBuildError for a wrong `exports` map, a type error, or an import that does not resolve.
 */
export async function buildClientPackage(): Promise<ClientBuild> {
  const manifest: unknown = JSON.parse(readFileSync(join(CLIENT_PACKAGE_DIR, 'package.json'), 'utf8'));
  const entries = clientEntries(manifest);
  const dist = join(CLIENT_PACKAGE_DIR, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const workDir = join(dist, '.build');
  mkdirSync(workDir, { recursive: true });
  try {
    const declarations = emitDeclarations(entries, workDir);
    const outDir = join(workDir, 'declarations');
    const sources = declarations.map((declaration) => sourceOfDeclaration(declaration, outDir));
    const entryPaths = new Set(entries.map((entry) => entry.name));
    const finish = (packagePath: string, text: string) =>
      entryPaths.has(packagePath) ? pointAtPackagedShared(text) : text;

    for (const format of CLIENT_FORMATS) {
      const tree = join(dist, format);
      for (const [packagePath, text] of await compile(sources, format)) {
        mkdirSync(dirname(join(tree, packagePath)), { recursive: true });
        writeFileSync(join(tree, `${packagePath}.js`), finish(packagePath, text));
      }
      for (const [index, declaration] of declarations.entries()) {
        const packagePath = packagePathOf(sources[index] ?? '');
        writeFileSync(
          join(tree, `${packagePath}.d.ts`),
          finish(packagePath, readFileSync(declaration, 'utf8')),
        );
      }
    }
    // The tree's own module type: its .js files are CommonJS, and so are the declarations beside them.
    writeFileSync(join(dist, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  const files = filesUnder(dist);
  const problems = files.flatMap((file) =>
    file.endsWith('.js') || file.endsWith('.d.ts')
      ? specifiersOf(readFileSync(file, 'utf8')).flatMap((specifier) => {
          const problem = specifierProblem(file, specifier);
          return problem === undefined ? [] : [`${relative(dist, file)}: "${specifier}" ${problem}`];
        })
      : [],
  );
  if (problems.length > 0) throw new ClientBuildError(`Unresolved imports in dist:\n${problems.join('\n')}`);
  return { entries, files: files.map((file) => relative(CLIENT_PACKAGE_DIR, file)).sort() };
}

async function main(): Promise<number> {
  const { entries, files } = await buildClientPackage();
  const width = Math.max(...entries.map((entry) => entry.subpath.length));
  for (const entry of entries) {
    console.log(
      `${entry.subpath.padEnd(width)}  dist/esm/${entry.name}.js  dist/cjs/${entry.name}.js  (+ .d.ts each)`,
    );
  }
  console.log(`${relative(process.cwd(), CLIENT_PACKAGE_DIR) || '.'}: ${files.length} files in dist/`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMain(main, { errorPrefix: 'build:client failed: ', errorExitCode: 1 });
}
