import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CPU_PERIOD_US,
  commandInGroup,
  cpuShareOf,
  createCpuGroup,
  detectCpuController,
} from '../../../harness/cpu-share.js';
import { runsHereOrSkips } from '../../support/ci.js';

const roots: string[] = [];
function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cgroup-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('Harness: cpuShareOf (Lambda: 1,769 MB is one vCPU)', () => {
  it.each([
    [128, 128 / 1769],
    [256, 256 / 1769],
    [1769, 1],
    [3008, 1],
  ])('gives %i MB %f of a core', (memoryMb, share) => {
    // Act
    const result = cpuShareOf(memoryMb);

    // Assess
    expect(result).toBeCloseTo(share, 10);
  });

  it('refuses a memory size that is not positive', () => {
    // Act
    const read = () => cpuShareOf(0);

    // Assess
    expect(read).toThrow(RangeError);
  });
});

describe('Harness: detectCpuController', () => {
  it('finds cgroup v1 by its cpu.cfs_quota_us', () => {
    // Prepare
    const v1 = fakeRoot({ 'cpu.cfs_quota_us': '-1' });

    // Act
    const controller = detectCpuController({ v1, v2: join(v1, 'missing') });

    // Assess
    expect(controller).toEqual({ kind: 'v1', root: v1 });
  });

  it('finds cgroup v2 when its root offers the cpu controller', () => {
    // Prepare
    const v2 = fakeRoot({ 'cgroup.controllers': 'cpuset cpu io memory pids' });

    // Act
    const controller = detectCpuController({ v1: join(v2, 'missing'), v2 });

    // Assess
    expect(controller).toEqual({ kind: 'v2', root: v2 });
  });

  it('says why there is none', () => {
    // Prepare
    const v2 = fakeRoot({ 'cgroup.controllers': 'memory pids' });

    // Act
    const controller = detectCpuController({ v1: join(v2, 'missing'), v2 });

    // Assess
    expect(controller).toEqual({ kind: 'none', reason: `the cgroup v2 root ${v2} has no cpu controller` });
  });
});

describe('Harness: createCpuGroup', () => {
  it('writes the v1 quota for the share, and a new quota when the share changes (init, then invoke)', () => {
    // Prepare
    const v1 = fakeRoot({ 'cpu.cfs_quota_us': '-1' });

    // Act
    const group = createCpuGroup({ kind: 'v1', root: v1 }, 'PreSignUpFunction', 1);
    const atInit = readFileSync(join(group.path, 'cpu.cfs_quota_us'), 'utf8');
    group.setShare(256 / 1769);

    // Assess
    expect({
      period: readFileSync(join(group.path, 'cpu.cfs_period_us'), 'utf8'),
      atInit,
      atInvoke: readFileSync(join(group.path, 'cpu.cfs_quota_us'), 'utf8'),
    }).toEqual({ period: String(CPU_PERIOD_US), atInit: '100000', atInvoke: '14471' });
  });

  it('writes cpu.max on v2 and enables the cpu controller for its children', () => {
    // Prepare
    const v2 = fakeRoot({ 'cgroup.controllers': 'cpu', 'cgroup.subtree_control': '' });
    mkdirSync(join(v2, 'cognito-sign-up-triggers'));
    writeFileSync(join(v2, 'cognito-sign-up-triggers', 'cgroup.subtree_control'), '');

    // Act
    const group = createCpuGroup({ kind: 'v2', root: v2 }, 'fn', 0.5);

    // Assess
    expect({
      max: readFileSync(join(group.path, 'cpu.max'), 'utf8'),
      enabled: readFileSync(join(v2, 'cgroup.subtree_control'), 'utf8'),
    }).toEqual({ max: '50000 100000', enabled: '+cpu' });
  });

  it('refuses a share outside (0, 1]', () => {
    // Prepare
    const v1 = fakeRoot({ 'cpu.cfs_quota_us': '-1' });

    // Act
    const create = () => createCpuGroup({ kind: 'v1', root: v1 }, 'fn', 1.5);

    // Assess
    expect(create).toThrow(RangeError);
  });

  it('starts a command inside the group from its first instruction, as the same process', () => {
    // Prepare
    const procsFile = join(fakeRoot({}), 'cgroup.procs');

    // Act
    const { file, args } = commandInGroup({ procsFile }, ['/bin/sh', '-c', 'echo $$']);
    const run = spawnSync(file, args, { encoding: 'utf8' });

    // Assess: the pid written to the group is the pid of the command that ran
    expect(readFileSync(procsFile, 'utf8').trim()).toBe(run.stdout.trim());
  });
});

const controller = detectCpuController();
describe.runIf(
  runsHereOrSkips(
    'Harness: CPU share on this kernel',
    controller.kind !== 'none',
    controller.kind === 'none' ? controller.reason : '',
  ),
)('Harness: CPU share on this kernel', () => {
  it('holds a busy process to its share: at 10 % of a core, a second of spinning gets about a tenth of it', () => {
    // Prepare: a busy loop for 1 s of wall time, in a group at 10 % of a core
    const group = createCpuGroup(controller, 'share-check', 0.1);
    const busy =
      'const before = process.cpuUsage(); const end = Date.now() + 1000; while (Date.now() < end) {} ' +
      'const used = process.cpuUsage(before); process.stdout.write(String((used.user + used.system) / 1000));';

    // Act
    const { file, args } = commandInGroup(group, [process.execPath, '-e', busy]);
    const run = spawnSync(file, args, { encoding: 'utf8' });
    group.remove();

    // Assess: about 100 ms of CPU in 1 s of wall time, far from the ~1,000 ms a whole core would give
    expect(Number(run.stdout)).toBeLessThan(250);
  });
});
