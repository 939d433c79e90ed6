/**
 * The temporary data folder of a run without `--data-dir`: `<os temp dir>/cognito-sign-up-local-XXXXXX`,
 * removed at stop. A process killed with SIGKILL (or by a wrapper that gave up waiting for it) runs no
 * handler and leaves its folder behind, with a lock naming a process that is gone, or half removed under a
 * `.removing` name; the next start removes such folders.
 */
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, lockOwnerOf } from './data-dir-lock.js';

/** The name every temporary data folder starts with. */
export const TEMPORARY_DATA_DIR_PREFIX = 'cognito-sign-up-local-';
// A folder being removed: renamed first (atomic), so a removal cut short is still recognised as garbage.
const REMOVING_SUFFIX = '.removing';

/**
 * Creates a new temporary data folder.
 *
 * @example
 * const dataDir = createTemporaryDataDir(); // /tmp/cognito-sign-up-local-Ab12Cd
 */
export function createTemporaryDataDir(root: string = tmpdir()): string {
  return mkdtempSync(join(root, TEMPORARY_DATA_DIR_PREFIX));
}

/**
 * Removes a temporary data folder: renamed to `<folder>.removing` first, then deleted, so a removal that a
 * SIGKILL cuts short leaves a folder {@link removeAbandonedDataDirs} recognises.
 *
 * @example
 * removeTemporaryDataDir(dataDir);
 */
export function removeTemporaryDataDir(path: string): void {
  const removing = `${path}${REMOVING_SUFFIX}`;
  try {
    renameSync(path, removing);
  } catch {
    // Already gone, or not renameable: removed in place below.
  }
  rmSync(removing, { recursive: true, force: true });
  rmSync(path, { recursive: true, force: true });
}

/**
 * Removes the temporary data folders whose lock names a process that no longer runs, and the ones a removal
 * left half done; folders without a lock (being created right now, or from another tool) are left alone.
 * Returns the removed paths.
 *
 * @example
 * removeAbandonedDataDirs(); // ['/tmp/cognito-sign-up-local-Xy98Zw']
 */
export function removeAbandonedDataDirs(root: string = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(TEMPORARY_DATA_DIR_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(root, name);
    if (!name.endsWith(REMOVING_SUFFIX)) {
      const owner = lockOwnerOf(path);
      if (owner === undefined || isProcessAlive(owner)) continue;
    }
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Not ours to remove (another user's folder): leave it.
    }
  }
  return removed;
}
