/**
 * One Node major everywhere: the Lambda runtime of template.yaml (`Runtime: nodejs22.x`, in Globals and in any
 * function of its own), the Node pinned for the bundles (harness/runtime-node.ts), `.nvmrc`, `engines` and
 * `@types/node` (declared and installed). Moving to another runtime means moving them all at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { RUNTIME_NODE } from '../../../harness/runtime-node.js';
import { loadTemplate } from '../../../harness/template.js';
import { isObject } from '../../../shared/parse-event.js';

type PackageJson = {
  engines?: { node?: string };
  devDependencies?: Record<string, string>;
  version?: string;
};

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as T;
}

/** Every `Runtime` a template sets, by where it sets it: `Globals.Function` and each function's own. */
function runtimesOf(document: Record<string, unknown>): Record<string, unknown> {
  const runtimes: Record<string, unknown> = {};
  const globals =
    isObject(document.Globals) && isObject(document.Globals.Function) ? document.Globals.Function : {};
  if (globals.Runtime !== undefined) runtimes['Globals.Function.Runtime'] = globals.Runtime;
  const resources = isObject(document.Resources) ? document.Resources : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || !isObject(resource.Properties)) continue;
    if (resource.Type !== 'AWS::Serverless::Function' && resource.Type !== 'AWS::Lambda::Function') continue;
    if (resource.Properties.Runtime !== undefined) {
      runtimes[`Resources.${logicalId}.Properties.Runtime`] = resource.Properties.Runtime;
    }
  }
  return runtimes;
}

/** The places whose runtime is not `nodejs<major>.x`. */
function disagreeing(runtimes: Record<string, unknown>, major: number): string[] {
  return Object.entries(runtimes)
    .filter(([, runtime]) => runtime !== `nodejs${major}.x`)
    .map(([where, runtime]) => `${where}: ${JSON.stringify(runtime)}`);
}

describe('Runtime: one Node major for Lambda, the bundles and the tools', () => {
  const template = loadTemplate();

  it("pins a Node build of template.yaml's runtime for the bundles, in Globals and in every function", () => {
    // Prepare
    const runtimes = runtimesOf(template.document);

    // Act
    const problems = disagreeing(runtimes, RUNTIME_NODE.major);

    // Assess
    expect(runtimes['Globals.Function.Runtime']).toBe(`nodejs${RUNTIME_NODE.major}.x`);
    expect(problems).toEqual([]);
    expect(RUNTIME_NODE.version.split('.')[0]).toBe(String(RUNTIME_NODE.major));
  });

  it('finds a function whose own Runtime differs from the pinned major', () => {
    // Prepare
    const document = structuredClone(template.document);
    const resources = document.Resources as Record<string, { Properties: Record<string, unknown> }>;
    const [logicalId] = template.functions.map((spec) => spec.logicalId);
    if (logicalId === undefined) throw new Error('template.yaml has no trigger function');
    const own = resources[logicalId];
    if (own === undefined) throw new Error(`${logicalId} is not a resource`);
    own.Properties.Runtime = 'nodejs20.x';

    // Act
    const problems = disagreeing(runtimesOf(document), RUNTIME_NODE.major);

    // Assess
    expect(problems).toEqual([`Resources.${logicalId}.Properties.Runtime: "nodejs20.x"`]);
  });

  it('says the same major in .nvmrc', () => {
    // Prepare
    const path = '.nvmrc';

    // Act
    const nvmrc = readFileSync(join(PROJECT_ROOT, path), 'utf8').trim();

    // Assess
    expect(nvmrc).toBe(String(RUNTIME_NODE.major));
  });

  it("asks for that major at least in package.json's engines", () => {
    // Prepare
    const manifest = readJson<PackageJson>('package.json');

    // Act
    const engine = manifest.engines?.node;

    // Assess
    expect(engine).toBe(`>=${RUNTIME_NODE.major}`);
  });

  it('types the code with @types/node of that major, declared exactly and installed', () => {
    // Prepare
    const manifest = readJson<PackageJson>('package.json');

    // Act
    const declared = manifest.devDependencies?.['@types/node'];
    const installed = readJson<PackageJson>('node_modules/@types/node/package.json').version;

    // Assess
    expect(declared).toMatch(new RegExp(`^${RUNTIME_NODE.major}\\.\\d+\\.\\d+$`));
    expect(installed).toBe(declared);
  });
});
