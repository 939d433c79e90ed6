import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTemporaryDataDir,
  removeAbandonedDataDirs,
  removeTemporaryDataDir,
  TEMPORARY_DATA_DIR_PREFIX,
} from '../../../local/temporary-data-dir.js';

describe('Local: removeAbandonedDataDirs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'unit-tmpdir-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  function dataDirLockedBy(name: string, pid: number | undefined): string {
    const path = join(root, `${TEMPORARY_DATA_DIR_PREFIX}${name}`);
    mkdirSync(join(path, 'cognito'), { recursive: true });
    if (pid !== undefined) writeFileSync(join(path, '.lock'), `${pid}\n`);
    return path;
  }

  it('removes a folder whose lock names an ended process, and keeps live and unlocked ones', () => {
    // Prepare
    const ended = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid as number;
    const abandoned = dataDirLockedBy('abandoned', ended);
    const live = dataDirLockedBy('live', process.pid);
    const unlocked = dataDirLockedBy('unlocked', undefined);
    const other = join(root, 'someone-else');
    mkdirSync(other);

    // Act
    const removed = removeAbandonedDataDirs(root);

    // Assess
    expect(removed).toEqual([abandoned]);
    expect([live, unlocked, other].every((path) => existsSync(path))).toBe(true);
  });

  it('removes a folder whose removal was cut short, whatever its lock says', () => {
    // Prepare
    const halfRemoved = `${dataDirLockedBy('half', process.pid)}.removing`;
    renameSync(halfRemoved.replace(/\.removing$/, ''), halfRemoved);

    // Act
    const removed = removeAbandonedDataDirs(root);

    // Assess
    expect(removed).toEqual([halfRemoved]);
    expect(existsSync(halfRemoved)).toBe(false);
  });

  it('removes a folder through a .removing name, leaving nothing', () => {
    // Prepare
    const path = dataDirLockedBy('stopped', process.pid);

    // Act
    removeTemporaryDataDir(path);

    // Assess
    expect(readdirSync(root)).toEqual([]);
  });

  it('creates folders with the prefix it looks for', () => {
    // Prepare
    const parent = root;

    // Act
    const created = createTemporaryDataDir(parent);

    // Assess
    expect(basename(created).startsWith(TEMPORARY_DATA_DIR_PREFIX)).toBe(true);
    expect(existsSync(created)).toBe(true);
  });
});
