/**
 * Lambda's CPU share, emulated with Linux control groups. Lambda gives a function CPU in proportion to its
 * memory: 1,769 MB is one vCPU, so 256 MB runs on about 14.5 % of a core. A process started in a group of its
 * own here gets the same share (`cpu.cfs_quota_us` / `cpu.cfs_period_us` on cgroup v1, `cpu.max` on v2), so a
 * cold start or a deadline is measured under the CPU Lambda would give it, not a whole core.
 *
 * Lambda's init phase may run with more CPU than the invocations that follow (AWS does not document the
 * init phase's CPU; public measurements disagree). A group can therefore start at one share and be moved to
 * another when init ends ({@link CpuGroup.setShare}); both readings are measured, neither is assumed.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** The memory (MB) at which Lambda gives a function one full vCPU. */
export const MEMORY_PER_VCPU_MB = 1769;

/** The scheduler period the groups use: 100 ms, the kernel's default. */
export const CPU_PERIOD_US = 100_000;

/** The fraction of one core Lambda gives `memoryMb` (capped at one core: these functions are single-threaded). */
export function cpuShareOf(memoryMb: number): number {
  if (!Number.isFinite(memoryMb) || memoryMb <= 0) throw new RangeError('memoryMb must be a positive number');
  return Math.min(1, memoryMb / MEMORY_PER_VCPU_MB);
}

/** The CPU controller this machine lets us write, or why there is none. */
export type CpuController =
  | { kind: 'v1'; root: string }
  | { kind: 'v2'; root: string }
  | { kind: 'none'; reason: string };

const V1_ROOT = '/sys/fs/cgroup/cpu';
const V2_ROOT = '/sys/fs/cgroup';
// Every group this project makes lives under one parent, so a crashed run's leftovers are easy to find.
const PARENT = 'cognito-sign-up-triggers';

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a writable CPU controller: cgroup v1's `cpu` hierarchy, else cgroup v2 with `cpu` enabled for
 * children. `roots` is for tests.
 */
export function detectCpuController(roots: { v1?: string; v2?: string } = {}): CpuController {
  const v1 = roots.v1 ?? V1_ROOT;
  const v2 = roots.v2 ?? V2_ROOT;
  if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
    return writable(v1)
      ? { kind: 'v1', root: v1 }
      : { kind: 'none', reason: `${v1} exists but is not writable (run as root)` };
  }
  const controllers = join(v2, 'cgroup.controllers');
  if (existsSync(controllers)) {
    if (!readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) {
      return { kind: 'none', reason: `the cgroup v2 root ${v2} has no cpu controller` };
    }
    return writable(v2)
      ? { kind: 'v2', root: v2 }
      : { kind: 'none', reason: `${v2} exists but is not writable (run as root)` };
  }
  return { kind: 'none', reason: 'no cgroup CPU controller is mounted (neither v1 cpu nor v2)' };
}

/** One group: a share of one core for the processes put in it. */
export type CpuGroup = {
  /** The group's folder. */
  readonly path: string;
  /** The file a process id is written to, to move that process into the group. */
  readonly procsFile: string;
  /** Gives the group `share` of one core from now on (0 < share ≤ 1). */
  setShare(share: number): void;
  /** Moves a running process into the group. */
  addProcess(pid: number): void;
  /** Removes the group; its processes must have exited (or they are moved to the parent first). */
  remove(): void;
};

let sequence = 0;

function quotaOf(share: number): number {
  if (!(share > 0 && share <= 1)) throw new RangeError('share must be in (0, 1]');
  // The kernel refuses a quota under 1 ms.
  return Math.max(1000, Math.round(share * CPU_PERIOD_US));
}

function enableV2Cpu(directory: string): void {
  const control = join(directory, 'cgroup.subtree_control');
  if (!readFileSync(control, 'utf8').split(/\s+/).includes('cpu')) writeFileSync(control, '+cpu');
}

function parentOf(controller: Exclude<CpuController, { kind: 'none' }>): string {
  const parent = join(controller.root, PARENT);
  mkdirSync(parent, { recursive: true });
  if (controller.kind === 'v2') enableV2Cpu(controller.root);
  return parent;
}

/**
 * Creates a group holding `share` of one core under `controller`. `label` names it in the folder name.
 * @throws Error when the controller is `none` or the kernel refuses the group.
 */
export function createCpuGroup(controller: CpuController, label: string, share: number): CpuGroup {
  if (controller.kind === 'none') throw new Error(`No CPU controller: ${controller.reason}`);
  const parent = parentOf(controller);
  if (controller.kind === 'v2') enableV2Cpu(parent);
  sequence += 1;
  const path = join(parent, `${label.replace(/[^A-Za-z0-9_-]/g, '-')}-${process.pid}-${sequence}`);
  mkdirSync(path);
  const procsFile = join(path, 'cgroup.procs');
  const setShare = (next: number) => {
    const quota = quotaOf(next);
    if (controller.kind === 'v1') {
      writeFileSync(join(path, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      writeFileSync(join(path, 'cpu.cfs_quota_us'), String(quota));
    } else {
      writeFileSync(join(path, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
    }
  };
  setShare(share);
  return {
    path,
    procsFile,
    setShare,
    addProcess(pid) {
      writeFileSync(procsFile, String(pid));
    },
    remove() {
      try {
        for (const pid of readFileSync(procsFile, 'utf8').split('\n').filter(Boolean)) {
          writeFileSync(join(controller.root, 'cgroup.procs'), pid);
        }
        rmdirSync(path);
      } catch {
        // Already gone, or a process still exiting: the kernel frees an empty group's folder with rmdir later.
      }
    },
  };
}

/**
 * The command that starts `command` inside `group` from its first instruction: a shell writes its own
 * process id to the group, then replaces itself with the command (same process, same inherited IPC channel).
 */
export function commandInGroup(
  group: Pick<CpuGroup, 'procsFile'>,
  command: readonly string[],
): { file: string; args: string[] } {
  return {
    file: '/bin/sh',
    args: ['-c', 'echo $$ > "$0" && exec "$@"', group.procsFile, ...command],
  };
}
