/**
 * `<dataDir>/.lock`: one `npm start` per data folder. cognito-local's files and dynalite's LevelDB cannot be
 * shared by two processes (the second one dies with `Database is not open`), so the second start is refused
 * with {@link DataDirInUseError} before it touches anything. The file holds the owner's pid; a lock whose
 * process is gone (a crash, `kill -9`) is stale and taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirInUseError } from './errors.js';

/** The lock file's name inside the data folder. */
export const LOCK_FILE = '.lock';

/** A held lock. */
export type DataDirLock = {
  path: string;
  /** Removes the lock file if it is still this process's (synchronous: safe in an `exit` handler). */
  release(): void;
};

/** Whether a process with this id runs (one owned by another user counts: `EPERM`). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a lock file names; `undefined` when it is missing or unreadable (a stale, half-written lock). */
function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isNaN(pid) ? undefined : pid;
  } catch {
    return undefined;
  }
}

/** The process holding `<dataDir>/.lock`; `undefined` when there is no readable lock. */
export function lockOwnerOf(dataDir: string): number | undefined {
  return ownerOf(join(dataDir, LOCK_FILE));
}

/** Creates the lock file only if none exists (`wx`); `false` when another one is there. */
function tryCreate(path: string, pid: number): boolean {
  try {
    writeFileSync(path, `${pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes `<dataDir>/.lock` for this process; throws {@link DataDirInUseError} when a live process holds it.
 *
 * @example
 * const lock = acquireDataDirLock(dataDir);
 * try { await run(); } finally { lock.release(); }
 */
export function acquireDataDirLock(dataDir: string, pid: number = process.pid): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  // Two attempts: the second after removing a stale lock. Of two processes taking over the same stale lock,
  // `wx` lets one win; the other then finds a live owner.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (tryCreate(path, pid)) {
      return {
        path,
        release() {
          if (ownerOf(path) !== pid) return;
          try {
            unlinkSync(path);
          } catch {
            // Already gone (the folder was removed).
          }
        },
      };
    }
    const owner = ownerOf(path);
    if (owner !== undefined && isProcessAlive(owner)) throw new DataDirInUseError(dataDir, owner);
    try {
      unlinkSync(path);
    } catch {
      // Another process removed it first.
    }
  }
  throw new DataDirInUseError(dataDir, ownerOf(path) ?? -1);
}
