import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, isProcessAlive, lockOwnerOf } from '../../../local/data-dir-lock.js';
import { DataDirInUseError } from '../../../local/errors.js';

/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid as number;
}

describe('Local: acquireDataDirLock', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'unit-lock-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the pid to <dataDir>/.lock and removes it on release', () => {
    // Prepare
    const path = join(dataDir, '.lock');

    // Act
    const lock = acquireDataDirLock(dataDir);
    const content = readFileSync(path, 'utf8');
    lock.release();

    // Assess
    expect(content).toBe(`${process.pid}\n`);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a folder a live process holds with DataDirInUseError naming it', () => {
    // Prepare
    writeFileSync(join(dataDir, '.lock'), `${process.ppid}\n`);

    // Act
    const attempt = () => acquireDataDirLock(dataDir);

    // Assess
    expect(attempt).toThrow(DataDirInUseError);
    expect(attempt).toThrow(expect.objectContaining({ dataDir, pid: process.ppid }));
  });

  it.each([
    ['a process that has ended', () => `${deadPid()}\n`],
    ['no readable pid', () => 'garbage'],
  ])('takes over a lock naming %s', (_case, content) => {
    // Prepare
    writeFileSync(join(dataDir, '.lock'), content());

    // Act
    const lock = acquireDataDirLock(dataDir);

    // Assess
    expect(lockOwnerOf(dataDir)).toBe(process.pid);
    lock.release();
  });

  it('leaves a lock another process took in the meantime on release', () => {
    // Prepare
    const lock = acquireDataDirLock(dataDir);
    writeFileSync(join(dataDir, '.lock'), `${process.ppid}\n`);

    // Act
    lock.release();

    // Assess
    expect(lockOwnerOf(dataDir)).toBe(process.ppid);
  });
});

describe('Local: isProcessAlive', () => {
  it.each([
    ['this process', () => process.pid, true],
    ['an ended process', deadPid, false],
    ['no process id', () => 0, false],
  ])('says whether %s runs', (_case, pid, alive) => {
    // Prepare
    const id = pid();

    // Act
    const running = isProcessAlive(id);

    // Assess
    expect(running).toBe(alive);
  });
});
