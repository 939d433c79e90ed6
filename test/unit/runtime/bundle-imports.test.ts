/**
 * No bundle loads a module the Lambda runtime lacks: the functions of template.yaml as built (the trigger
 * functions in dist/, which the global setup built; TriggerAttachFunction bundled in memory), and, to show the
 * check bites, small templates whose functions load `aws-sdk` v2 or another external module.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkTemplateBundles,
  refusalOf,
  refusedImportsOf,
  runtimeImportsOf,
} from '../../../harness/bundle-imports.js';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { runCli } from '../cli/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'bundle-imports-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A metafile whose one output imports `externals` (as esbuild records modules it left out). */
function metafileWith(externals: string[]): Metafile {
  return {
    inputs: {},
    outputs: {
      'dist/Fn/handler.cjs': {
        bytes: 1,
        inputs: {},
        exports: [],
        imports: externals.map((path) => ({ path, kind: 'require-call' as const, external: true })),
      },
    },
  };
}

/** A template folder with one non-trigger function per entry source, each with `External: [external]`. */
function templateWith(name: string, functions: Record<string, { source: string; external: string }>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const resources = Object.entries(functions).map(([logicalId, { source, external }]) => {
    writeFileSync(join(dir, `${logicalId}.ts`), source);
    return `  ${logicalId}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: ${logicalId}.handler
      CodeUri: ./
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Format: cjs
        OutExtension: [".js=.cjs"]
        External: ["${external}"]
        EntryPoints: [${logicalId}.ts]`;
  });
  const path = join(dir, 'template.yaml');
  writeFileSync(path, `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources.join('\n')}\n`);
  return path;
}

describe('Harness: refusalOf', () => {
  it.each(['fs', 'node:crypto', 'node:diagnostics_channel', '@aws-sdk/client-ssm', '@aws-sdk/lib-dynamodb'])(
    'lets a bundle load %s',
    (module) => {
      // Prepare
      const name = module;

      // Act
      const reason = refusalOf(name);

      // Assess
      expect(reason).toBeUndefined();
    },
  );

  it.each([
    ['aws-sdk', /AWS SDK v2/],
    ['aws-sdk/clients/s3', /AWS SDK v2/],
    ['left-pad', /neither a Node\.js built-in nor @aws-sdk\/\*/],
    ['@smithy/core', /neither a Node\.js built-in nor @aws-sdk\/\*/],
    ['node:no-such-module', /not a built-in module/],
  ])('refuses %s, saying why', (module, why) => {
    // Prepare
    const name = module;

    // Act
    const reason = refusalOf(name);

    // Assess
    expect(reason).toMatch(why);
  });
});

describe('Harness: runtimeImportsOf', () => {
  it("reads esbuild's external imports, the require calls and the SDK names passed to a loader", () => {
    // Prepare
    const bundle = {
      metafile: metafileWith(['node:crypto', 'lodash']),
      code: 'const a=require("fs");const b=async()=>(await Ht("@aws-sdk/client-ssm")).SSMClient;var c=ke("aws-sdk",t=>t);',
    };

    // Act
    const modules = runtimeImportsOf(bundle);

    // Assess
    expect(modules).toEqual(['@aws-sdk/client-ssm', 'aws-sdk', 'fs', 'lodash', 'node:crypto']);
  });

  it('does not take an SDK name that only appears as a key of a bundled package.json for a load', () => {
    // Prepare
    const bundle = {
      metafile: metafileWith([]),
      code: 'var pkg={name:"aws-xray-sdk-core",dependencies:{"@aws-sdk/types":"^3.4.1"},devDependencies:{"aws-sdk":"^2"}};',
    };

    // Act
    const refused = refusedImportsOf(bundle);

    // Assess
    expect(runtimeImportsOf(bundle)).toEqual([]);
    expect(refused).toEqual([]);
  });
});

describe('Harness: checkTemplateBundles', () => {
  it('passes every function of template.yaml: the trigger functions from dist/, the attach function built here', async () => {
    // Prepare
    const templatePath = join(PROJECT_ROOT, 'template.yaml');

    // Act
    const results = await checkTemplateBundles({ templatePath });

    // Assess
    expect(results).toEqual(
      expect.arrayContaining([
        { logicalId: 'PreSignUpFunction', source: 'dist', refused: [] },
        { logicalId: 'CustomMessageFunction', source: 'dist', refused: [] },
        { logicalId: 'PostConfirmationFunction', source: 'dist', refused: [] },
        { logicalId: 'TriggerAttachFunction', source: 'built here', refused: [] },
      ]),
    );
    expect(results.flatMap((result) => result.refused)).toEqual([]);
  });

  it('finds aws-sdk v2 and another external module, each in the function that loads it', async () => {
    // Prepare
    const templatePath = templateWith('refused', {
      LegacyFunction: {
        source: "import { S3 } from 'aws-sdk';\nexport const handler = async () => new S3();\n",
        external: 'aws-sdk',
      },
      PadFunction: {
        source: "import pad from 'left-pad';\nexport const handler = async () => pad('x', 3);\n",
        external: 'left-pad',
      },
      FineFunction: {
        source:
          "import { createHash } from 'node:crypto';\nexport const handler = async () => (await import('@aws-sdk/client-s3'), createHash('sha256'));\n",
        external: '@aws-sdk/*',
      },
    });

    // Act
    const results = await checkTemplateBundles({ templatePath });

    // Assess
    expect(
      results.map((result) => ({
        logicalId: result.logicalId,
        modules: result.refused.map((refused) => refused.module),
      })),
    ).toEqual([
      { logicalId: 'LegacyFunction', modules: ['aws-sdk'] },
      { logicalId: 'PadFunction', modules: ['left-pad'] },
      { logicalId: 'FineFunction', modules: [] },
    ]);
  });
});

describe('Build: the bundle imports check', () => {
  it('runs after every npm run build (postbuild)', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };

    // Act
    const postbuild = manifest.scripts.postbuild;

    // Assess
    expect(postbuild).toBe('tsx scripts/check-bundle-imports.ts');
  });

  it('fails, naming the function and the module, when a bundle loads aws-sdk v2', () => {
    // Prepare
    const templatePath = templateWith('cli', {
      LegacyFunction: {
        source: "import AWS from 'aws-sdk';\nexport const handler = async () => new AWS.S3();\n",
        external: 'aws-sdk',
      },
    });

    // Act
    const run = runCli('scripts/check-bundle-imports', ['--template', templatePath]);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bundle imports: LegacyFunction loads aws-sdk: the AWS SDK v2/m);
  });
});
