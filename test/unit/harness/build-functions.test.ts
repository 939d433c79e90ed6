import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BuildInput,
  buildFunctions,
  esbuildOptionsFor,
  formatBytes,
} from '../../../harness/build-functions.js';
import { BuildError, TemplateError } from '../../../harness/errors.js';
import { loadTemplate } from '../../../harness/template.js';

const DIRS = { workingDir: '/project', outDir: '/project/dist/Fn' };

const roots: string[] = [];
function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'build-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function input(buildProperties: Record<string, unknown>): BuildInput {
  return { logicalId: 'Fn', entryPoint: 'src/handler.ts', buildProperties };
}

/** A one-function project in a temp folder: template.yaml plus the given source files. */
function project(options: { handler?: string; entryPoint?: string; files: Record<string, string> }): string {
  const root = tempDir();
  writeFileSync(
    join(root, 'template.yaml'),
    `Transform: AWS::Serverless-2016-10-31
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  TestFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: ${options.handler ?? 'handler.handler'}
      CodeUri: ./
      Events:
        Trigger: { Type: Cognito, Properties: { UserPool: !Ref Pool, Trigger: PreSignUp } }
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Format: cjs
        OutExtension: ['.js=.cjs']
        EntryPoints: [${options.entryPoint ?? 'src/handler.ts'}]
`,
  );
  for (const [name, content] of Object.entries(options.files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

describe('Harness: esbuild options from BuildProperties', () => {
  it("applies Lambda Builders' fixed options and defaults to empty BuildProperties", () => {
    // Prepare
    const spec = input({});

    // Act
    const options = esbuildOptionsFor(spec, DIRS);

    // Assess
    expect(options).toEqual({
      entryPoints: ['src/handler.ts'],
      absWorkingDir: '/project',
      outdir: '/project/dist/Fn',
      bundle: true,
      platform: 'node',
      target: ['es2020'],
      format: 'cjs',
      minify: true,
    });
  });

  it('leaves the bundle unminified when the template says Minify: false', () => {
    // Prepare
    const spec = input({ Minify: false });

    // Act
    const options = esbuildOptionsFor(spec, DIRS);

    // Assess
    expect(options.minify).toBe(false);
  });

  it.each([
    ['Target', 'es2022,node22', { target: ['es2022', 'node22'] }],
    ['Format', 'esm', { format: 'esm' }],
    ['Sourcemap', true, { sourcemap: true }],
    ['Sourcemap', 'inline', { sourcemap: 'inline' }],
    ['SourcesContent', 'false', { sourcesContent: false }],
    ['MainFields', 'module,main', { mainFields: ['module', 'main'] }],
    ['External', ['@aws-sdk/*', 'pg'], { external: ['@aws-sdk/*', 'pg'] }],
    ['Loader', ['.txt=text', '.html=text'], { loader: { '.txt': 'text', '.html': 'text' } }],
    ['OutExtension', ['.js=.cjs'], { outExtension: { '.js': '.cjs' } }],
    ['Define', ['process.env.STAGE="prod"'], { define: { 'process.env.STAGE': '"prod"' } }],
    ['Banner', ['js=// built'], { banner: { js: '// built' } }],
    ['Footer', ['js=// end'], { footer: { js: '// end' } }],
  ])('maps %s %j to the esbuild option', (key, value, expected) => {
    // Prepare
    const spec = input({ [key]: value });

    // Act
    const options = esbuildOptionsFor(spec, DIRS);

    // Assess
    expect(options).toMatchObject(expected);
  });

  it('does not pass EntryPoints or UseNpmCi to esbuild as options', () => {
    // Prepare
    const spec = input({ EntryPoints: ['other.ts'], UseNpmCi: true });

    // Act
    const options = esbuildOptionsFor(spec, DIRS);

    // Assess
    expect(Object.keys(options).sort()).toEqual(
      ['absWorkingDir', 'bundle', 'entryPoints', 'format', 'minify', 'outdir', 'platform', 'target'].sort(),
    );
  });

  it.each([
    ['an unknown key', { TreeShaking: true }, /BuildProperties\.TreeShaking is not supported/],
    [
      'an Object.prototype member name',
      { constructor: 'x' },
      /BuildProperties\.constructor is not supported/,
    ],
    ['a key SAM fixes', { Platform: 'browser' }, /BuildProperties\.Platform is fixed by SAM/],
    ['a list key given as a string', { External: '@aws-sdk/*' }, /BuildProperties\.External must be a list/],
    ['a YAML false for SourcesContent', { SourcesContent: false }, /BuildProperties\.SourcesContent must be/],
    ['an unknown format', { Format: 'umd' }, /BuildProperties\.Format must be one of cjs, esm, iife/],
    [
      'a pair without =',
      { OutExtension: ['.cjs'] },
      /BuildProperties\.OutExtension must be a list of "key=value"/,
    ],
  ])('rejects %s with a BuildError naming it', (_case, buildProperties, message) => {
    // Prepare
    const spec = input(buildProperties);

    // Act
    const map = () => esbuildOptionsFor(spec, DIRS);

    // Assess
    expect(map).toThrow(message);
  });

  it('throws the BuildError class with the logical id', () => {
    // Prepare
    const spec = input({ Unknown: 1 });

    // Act
    const map = () => esbuildOptionsFor(spec, DIRS);

    // Assess
    expect(map).toThrow(expect.objectContaining({ name: 'BuildError', logicalId: 'Fn' }));
  });

  it.each(loadTemplate().functions.map((spec) => [spec.logicalId, spec] as const))(
    'gives %s of template.yaml the options of its metadata',
    (_id, spec) => {
      // Prepare
      const dirs = { workingDir: '/repo', outDir: `/repo/dist/${spec.logicalId}` };

      // Act
      const options = esbuildOptionsFor(spec, dirs);

      // Assess
      expect(options).toEqual({
        entryPoints: [spec.entryPoint],
        absWorkingDir: '/repo',
        outdir: dirs.outDir,
        bundle: true,
        platform: 'node',
        minify: true,
        target: ['es2022'],
        format: 'cjs',
        outExtension: { '.js': '.cjs' },
        sourcemap: false,
        keepNames: true,
        external: ['@aws-sdk/*'],
      });
    },
  );
});

describe('Harness: buildFunctions', () => {
  it('writes a bundle that loads with require() and exports handler', async () => {
    // Prepare
    const outDir = tempDir();

    // Act
    const [built] = await buildFunctions({ outDir, functions: ['PreSignUpFunction'] });

    // Assess
    const module = createRequire(import.meta.url)(built?.bundlePath ?? '') as Record<string, unknown>;
    expect({ path: built?.bundlePath, handler: typeof module.handler }).toEqual({
      path: join(outDir, 'PreSignUpFunction', 'handler.cjs'),
      handler: 'function',
    });
  });

  it('replaces the artifacts folder in place: stale files go, no staging folder stays', async () => {
    // Prepare
    const outDir = tempDir();
    mkdirSync(join(outDir, 'PostConfirmationFunction'), { recursive: true });
    writeFileSync(join(outDir, 'PostConfirmationFunction', 'stale.js'), 'old');

    // Act
    await buildFunctions({ outDir, functions: ['PostConfirmationFunction'] });

    // Assess
    expect({
      root: readdirSync(outDir),
      folder: readdirSync(join(outDir, 'PostConfirmationFunction')).sort(),
    }).toEqual({ root: ['PostConfirmationFunction'], folder: ['handler.cjs', 'meta.json'] });
  });

  it('writes the esbuild metafile beside the bundle', async () => {
    // Prepare
    const outDir = tempDir();

    // Act
    await buildFunctions({ outDir, functions: ['PostConfirmationFunction'] });

    // Assess
    const meta = JSON.parse(readFileSync(join(outDir, 'PostConfirmationFunction', 'meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    expect(Object.keys(meta.inputs)).toContain('triggers/post-confirmation/handler.ts');
  });

  it('reports the size of the bundle and of its gzip', async () => {
    // Prepare
    const outDir = tempDir();

    // Act
    const [built] = await buildFunctions({ outDir, functions: ['CustomMessageFunction'] });

    // Assess
    const bundle = readFileSync(built?.bundlePath ?? '');
    expect({ bytes: built?.bytes, gzip: built?.gzipBytes }).toEqual({
      bytes: statSync(built?.bundlePath ?? '').size,
      gzip: gzipSync(bundle).length,
    });
  });

  it('builds only the functions it is given', async () => {
    // Prepare
    const outDir = tempDir();

    // Act
    const built = await buildFunctions({ outDir, functions: ['CustomMessageFunction'] });

    // Assess
    expect({
      ids: built.map((result) => result.logicalId),
      others: existsSync(join(outDir, 'PreSignUpFunction')),
    }).toEqual({ ids: ['CustomMessageFunction'], others: false });
  });

  it('removes stale files from the function folder first, like sam build', async () => {
    // Prepare
    const outDir = tempDir();
    mkdirSync(join(outDir, 'PreSignUpFunction'));
    writeFileSync(join(outDir, 'PreSignUpFunction', 'stale.js'), '');

    // Act
    await buildFunctions({ outDir, functions: ['PreSignUpFunction'] });

    // Assess
    expect(existsSync(join(outDir, 'PreSignUpFunction', 'stale.js'))).toBe(false);
  });

  it('rejects an unknown logical id with the known ones', async () => {
    // Prepare
    const outDir = tempDir();

    // Act
    const build = buildFunctions({ outDir, functions: ['PreSignupFunction'] });

    // Assess
    await expect(build).rejects.toThrow(TemplateError);
  });

  it('builds a template in another folder, relative to that folder', async () => {
    // Prepare
    const root = project({ files: { 'src/handler.ts': 'export const handler = async (e: unknown) => e;' } });

    // Act
    const [built] = await buildFunctions({ templatePath: join(root, 'template.yaml') });

    // Assess
    const module = createRequire(import.meta.url)(built?.bundlePath ?? '') as {
      handler: (e: unknown) => unknown;
    };
    expect({ path: built?.bundlePath, echo: await module.handler('x') }).toEqual({
      path: join(root, 'dist', 'TestFunction', 'handler.cjs'),
      echo: 'x',
    });
  });

  it('turns an esbuild failure into a BuildError naming the function', async () => {
    // Prepare
    const root = project({
      files: { 'src/handler.ts': "import { missing } from './nowhere';\nexport const handler = missing;" },
    });

    // Act
    const build = buildFunctions({ templatePath: join(root, 'template.yaml') });

    // Assess
    await expect(build).rejects.toThrow(
      expect.objectContaining({ name: 'BuildError', logicalId: 'TestFunction' }),
    );
  });

  it('fails when the bundle is not the file Handler names', async () => {
    // Prepare
    const root = project({
      handler: 'index.handler',
      files: { 'src/handler.ts': 'export const handler = async (e: unknown) => e;' },
    });

    // Act
    const build = buildFunctions({ templatePath: join(root, 'template.yaml') });

    // Assess
    await expect(build).rejects.toThrow(/Handler index\.handler needs index\.cjs/);
  });

  it('throws the BuildError class for a build failure', async () => {
    // Prepare
    const root = project({ files: { 'src/handler.ts': 'export const handler = ;' } });

    // Act
    const build = buildFunctions({ templatePath: join(root, 'template.yaml') });

    // Assess
    await expect(build).rejects.toBeInstanceOf(BuildError);
  });
});

describe('Harness: formatBytes', () => {
  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [3 * 1024 * 1024, '3.00 MiB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    // Prepare
    const value = bytes;

    // Act
    const formatted = formatBytes(value);

    // Assess
    expect(formatted).toBe(text);
  });
});
