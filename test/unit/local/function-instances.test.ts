import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleVersionOf } from '../../../local/function-instances.js';

describe('Local: bundleVersionOf', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'unit-bundle-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('changes with the content even when the size and the modification time do not', () => {
    // Prepare
    const path = join(directory, 'handler.cjs');
    const sameTime = new Date('2026-01-01T00:00:00Z');
    writeFileSync(path, 'exports.v = 1;');
    utimesSync(path, sameTime, sameTime);
    const before = bundleVersionOf(path);

    // Act
    writeFileSync(path, 'exports.v = 2;');
    utimesSync(path, sameTime, sameTime);
    const after = bundleVersionOf(path);

    // Assess
    expect(after).not.toBe(before);
  });

  it('stays the same for the same content, and says missing without a file', () => {
    // Prepare
    const path = join(directory, 'handler.cjs');
    writeFileSync(path, 'exports.v = 1;');

    // Act
    const versions = [
      bundleVersionOf(path),
      bundleVersionOf(path),
      bundleVersionOf(join(directory, 'none.cjs')),
    ];

    // Assess
    expect(versions[0]).toBe(versions[1]);
    expect(versions[2]).toBe('missing');
  });
});
