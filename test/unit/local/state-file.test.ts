import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateFile, type StartingState, writeStateFile } from '../../../local/state-file.js';

describe('Local: state file', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'unit-state-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes the state atomically and reads it back', () => {
    // Prepare
    const path = join(directory, 'state.json');
    const starting: StartingState = {
      ready: false,
      pid: 42,
      startedAt: '2026-01-01T00:00:00.000Z',
      dataDir: directory,
    };

    // Act
    writeStateFile(path, starting);
    const read = readStateFile(path);

    // Assess
    expect(read).toEqual(starting);
    expect(readdirSync(directory)).toEqual(['state.json']);
  });

  it('reads a missing or half-written file as undefined', () => {
    // Prepare
    const half = join(directory, 'half.json');
    writeFileSync(half, '{"ready": tr');

    // Act
    const states = [readStateFile(join(directory, 'missing.json')), readStateFile(half)];

    // Assess
    expect(states).toEqual([undefined, undefined]);
  });
});
