import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import {
  CLIENT_PACKAGE_DIR,
  ClientBuildError,
  clientEntries,
  packagePathOf,
  pointAtPackagedShared,
  specifiersOf,
} from '../../../scripts/build-client.js';
import { errorOf } from '../../support/outcomes.js';

/** The exports of one entry as the layout wants them. */
function entryExports(name: string) {
  return {
    import: { types: `./dist/esm/${name}.d.ts`, default: `./dist/esm/${name}.js` },
    require: { types: `./dist/cjs/${name}.d.ts`, default: `./dist/cjs/${name}.js` },
  };
}

describe('Script: build-client', () => {
  it("reads the package's own entries from its exports map, each with a source", () => {
    // Prepare
    const manifest: unknown = JSON.parse(readFileSync(join(CLIENT_PACKAGE_DIR, 'package.json'), 'utf8'));

    // Act
    const entries = clientEntries(manifest);

    // Assess
    expect(entries.map((entry) => [entry.subpath, entry.name])).toEqual([
      ['.', 'client'],
      ['./invite', 'invite'],
      ['./events', 'events'],
    ]);
    expect(entries.filter((entry) => !existsSync(entry.source))).toEqual([]);
  });

  it('declares no dependency: apps get neither Powertools nor the AWS SDK from the package', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(CLIENT_PACKAGE_DIR, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;

    // Act
    const declared = ['dependencies', 'peerDependencies', 'optionalDependencies'].filter(
      (field) => field in manifest,
    );

    // Assess
    expect(declared).toEqual([]);
    expect(manifest).toMatchObject({ sideEffects: false, type: 'module', files: ['dist'] });
  });

  it.each([
    [
      'types after default',
      { '.': { import: { default: './dist/esm/client.js', types: './dist/esm/client.d.ts' } } },
    ],
    ['a missing require condition', { '.': { import: entryExports('client').import } }],
    [
      'a file outside the layout',
      { './invite': { ...entryExports('invite'), import: entryExports('client').import } },
    ],
    ['a subpath that is not a name', { './a/b': entryExports('a/b') }],
  ])('refuses an exports map with %s, naming the subpath', (_label, exportsMap) => {
    // Prepare
    const manifest = { name: 'x', exports: exportsMap };

    // Act
    const error = errorOf(ClientBuildError, () => clientEntries(manifest));

    // Assess
    expect(error.message).toContain(`exports["${Object.keys(exportsMap)[0]}"]`);
  });

  it('places shared modules under shared/ and entries at the top of a tree', () => {
    // Prepare
    const shared = join(PROJECT_ROOT, 'shared', 'parse-trigger-error.ts');
    const entry = join(CLIENT_PACKAGE_DIR, 'src', 'client.ts');

    // Act
    const paths = [packagePathOf(shared), packagePathOf(entry)];

    // Assess
    expect(paths).toEqual(['shared/parse-trigger-error', 'client']);
  });

  it.each([
    join(PROJECT_ROOT, 'triggers', 'registry.ts'),
    join(PROJECT_ROOT, 'node_modules', '@aws-lambda-powertools', 'logger', 'index.ts'),
  ])('refuses to package %s', (source) => {
    // Prepare (the source path)

    // Act
    const error = errorOf(ClientBuildError, () => packagePathOf(source));

    // Assess
    expect(error.message).toContain('the package cannot hold it');
  });

  it('points an entry at the packaged shared modules in compiled code and in declarations', () => {
    // Prepare
    const compiled = `export { a } from "../../../shared/a.js";\nvar b = require("../../../shared/b.js");`;
    const declaration = `export { type C } from '../../../shared/c.js';`;

    // Act
    const rewritten = [compiled, declaration].map(pointAtPackagedShared);

    // Assess
    expect(rewritten.flatMap(specifiersOf)).toEqual(['./shared/a.js', './shared/b.js', './shared/c.js']);
  });
});
