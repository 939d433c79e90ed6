/**
 * Which Node the bundles run on: the pinned build of the Lambda runtime's Node when it is installed, the
 * Node running the tools when that has the runtime's major, otherwise a reason (and, for `npm start`, the
 * tools' own Node with a one-line notice). Fake builds are shell scripts that answer `-v`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { bundleInvoker } from '../../../harness/bundle-invoker.js';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import {
  locateRuntimeNode,
  nodeForBundles,
  RUNTIME_NODE,
  runtimeNode,
  runtimeNodeDirOf,
} from '../../../harness/runtime-node.js';
import { runsHereOrSkips } from '../../support/ci.js';

const scratch = mkdtempSync(join(tmpdir(), 'runtime-node-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LINUX_X64 = RUNTIME_NODE.builds['linux-x64'];

/** A root holding a fake `linux-x64` build whose `-v` prints `version`. */
function rootWithBuild(name: string, version: string): { root: string; path: string } {
  const root = join(scratch, name);
  const bin = join(runtimeNodeDirOf(LINUX_X64, root), 'bin');
  mkdirSync(bin, { recursive: true });
  const path = join(bin, 'node');
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, 0o755);
  return { root, path };
}

describe('Harness: locateRuntimeNode', () => {
  const tools = { execPath: '/opt/node20/bin/node', execVersion: 'v20.20.2' };

  it('finds the pinned build installed for this platform', () => {
    // Prepare
    const { root, path } = rootWithBuild('pinned', `v${RUNTIME_NODE.version}`);

    // Act
    const found = locateRuntimeNode({ platform: 'linux', arch: 'x64', root, ...tools });

    // Assess
    expect(found).toEqual({ available: true, path, version: `v${RUNTIME_NODE.version}` });
  });

  it("uses the tools' own Node when no build is installed and it has the runtime's major", () => {
    // Prepare
    const root = join(scratch, 'empty');

    // Act
    const found = locateRuntimeNode({
      platform: 'darwin',
      arch: 'arm64',
      root,
      execPath: '/opt/node22/bin/node',
      execVersion: `v${RUNTIME_NODE.major}.1.0`,
    });

    // Assess
    expect(found).toEqual({
      available: true,
      path: '/opt/node22/bin/node',
      version: `v${RUNTIME_NODE.major}.1.0`,
    });
  });

  it('says no build is pinned for a platform the registry has none for', () => {
    // Prepare
    const root = join(scratch, 'empty');

    // Act
    const found = locateRuntimeNode({ platform: 'darwin', arch: 'arm64', root, ...tools });

    // Assess
    expect(found).toEqual({
      available: false,
      reason: `no Node ${RUNTIME_NODE.major} build is pinned for darwin-arm64 (only linux-x64, linux-arm64), and this process runs Node v20.20.2`,
    });
  });

  it('says the pinned build is missing and that npm install installs it', () => {
    // Prepare
    const root = join(scratch, 'not-installed');

    // Act
    const found = locateRuntimeNode({ platform: 'linux', arch: 'x64', root, ...tools });

    // Assess
    expect(found.available).toBe(false);
    expect(found.available ? '' : found.reason).toMatch(/bin\/node is missing \(npm install installs it/);
  });

  it('refuses an installed build that reports another version', () => {
    // Prepare
    const { root } = rootWithBuild('other-version', 'v22.0.0');

    // Act
    const found = locateRuntimeNode({ platform: 'linux', arch: 'x64', root, ...tools });

    // Assess
    expect(found.available).toBe(false);
    expect(found.available ? '' : found.reason).toContain(`says v22.0.0, not v${RUNTIME_NODE.version}`);
  });
});

describe('Harness: nodeForBundles', () => {
  it("falls back to the tools' Node with one notice per process when the runtime's is missing", () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const missing = { available: false, reason: 'no build here' } as const;

    // Act
    const first = nodeForBundles(missing);
    const second = nodeForBundles(missing);
    const warnings = [...warn.mock.calls];
    warn.mockRestore();

    // Assess
    expect([first, second]).toEqual([process.execPath, process.execPath]);
    expect(warnings).toEqual([
      [
        `notice: the functions run on Node ${process.version}, not on Node ${RUNTIME_NODE.major} as in Lambda (nodejs${RUNTIME_NODE.major}.x): no build here`,
      ],
    ]);
  });
});

describe("Harness: bundleInvoker on the runtime's Node", () => {
  const found = runtimeNode();
  const runs = runsHereOrSkips(
    "bundles on the Lambda runtime's Node",
    found.available,
    found.available ? '' : found.reason,
  );
  const bundle = join(scratch, 'where.cjs');
  writeFileSync(
    bundle,
    'exports.handler = async () => ({ version: process.version, execPath: process.execPath, wrapped: process.env.WRAPPED ?? null });',
  );

  it.runIf(runs)(`starts a bundle on the runtime's Node ${RUNTIME_NODE.major} by default`, async () => {
    // Prepare
    const invoker = bundleInvoker({ bundlePath: bundle, environment: {} });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(found.available ? found.version : '').toMatch(new RegExp(`^v${RUNTIME_NODE.major}\\.`));
    expect(result).toMatchObject({
      kind: 'returned',
      value: { version: found.available ? found.version : '', execPath: found.available ? found.path : '' },
    });
  });

  it('starts a bundle on the Node binary it is given', async () => {
    // Prepare
    const wrapper = join(scratch, 'wrapped-node');
    writeFileSync(wrapper, `#!/bin/sh\nexport WRAPPED=yes\nexec "${process.execPath}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const invoker = bundleInvoker({ bundlePath: bundle, environment: {}, node: wrapper });

    // Act
    const result = await invoker.invoke({}, 5000);
    await invoker.close();

    // Assess
    expect(result).toMatchObject({ kind: 'returned', value: { wrapped: 'yes' } });
  });
});

describe("Test command: vitest on the runtime's Node", () => {
  const found = runtimeNode();
  const runs = runsHereOrSkips(
    "npm test on the Lambda runtime's Node",
    found.available,
    found.available ? '' : found.reason,
  );

  it('runs vitest through scripts/on-runtime-node.ts', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };

    // Act
    const test = manifest.scripts.test;

    // Assess
    expect(test).toBe('node --import tsx scripts/on-runtime-node.ts node_modules/vitest/vitest.mjs run');
  });

  it.runIf(runs)("runs the script it is given on the runtime's Node and exits as the script does", () => {
    // Prepare
    const script = ['-e', 'process.stdout.write(process.version); process.exitCode = 3;'];

    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/on-runtime-node.ts', ...script], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });

    // Assess
    expect({ status: run.status, stdout: run.stdout }).toEqual({
      status: 3,
      stdout: found.available ? found.version : '',
    });
  });
});
