import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readAttachState,
  StateFileError,
  stateAfterAttach,
  stateAfterDetach,
  writeAttachState,
} from '../../../attach/state-file.js';
import { functionArn, OURS, THEIRS } from './pools.js';

const POOL_ID = 'us-east-1_AbC123';

describe('Attach: the state file', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'attach-state-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads back what it wrote', () => {
    // Prepare
    const path = join(directory, 'state.json');
    const state = { userPoolId: POOL_ID, functions: { ...OURS }, replaced: { PreSignUp: THEIRS[0] } };

    // Act
    writeAttachState(path, state);

    // Assess
    expect(readAttachState(path)).toEqual(state);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('reads a missing file as no state', () => {
    // Prepare
    const path = join(directory, 'missing.json');

    // Act
    const state = readAttachState(path);

    // Assess
    expect(state).toBeUndefined();
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['JSON without a pool id', '{"functions": {}}'],
    [
      'a trigger the toolkit does not have',
      `{"userPoolId": "${POOL_ID}", "functions": {"Nope": "${OURS.PreSignUp}"}}`,
    ],
    ['a value that is no function ARN', `{"userPoolId": "${POOL_ID}", "replaced": {"PreSignUp": "x"}}`],
  ])('refuses %s, naming the file', (_case, text) => {
    // Prepare
    const path = join(directory, 'state.json');
    writeFileSync(path, text);

    // Act
    const read = () => readAttachState(path);

    // Assess
    expect(read).toThrow(StateFileError);
    expect(read).toThrow(path);
  });
});

describe('Attach: stateAfterAttach and stateAfterDetach', () => {
  it('records what a first attach replaced', () => {
    // Prepare
    const replaced = { PreSignUp: THEIRS[0] };

    // Act
    const state = stateAfterAttach(undefined, POOL_ID, OURS, replaced);

    // Assess
    expect(state).toEqual({ userPoolId: POOL_ID, functions: OURS, replaced });
  });

  it('keeps the first record when a new version of our function replaces the old one', () => {
    // Prepare
    const previous = {
      userPoolId: POOL_ID,
      functions: { PreSignUp: OURS.PreSignUp },
      replaced: { PreSignUp: THEIRS[0] },
    };
    const newer = functionArn('ours-pre-sign-up-v2');

    // Act
    const state = stateAfterAttach(previous, POOL_ID, { PreSignUp: newer }, { PreSignUp: OURS.PreSignUp });

    // Assess
    expect(state).toEqual({
      userPoolId: POOL_ID,
      functions: { PreSignUp: newer },
      replaced: { PreSignUp: THEIRS[0] },
    });
  });

  it('keeps the record when attach finds the slot already ours', () => {
    // Prepare
    const previous = { userPoolId: POOL_ID, functions: { ...OURS }, replaced: { PreSignUp: THEIRS[0] } };

    // Act
    const state = stateAfterAttach(previous, POOL_ID, OURS, {});

    // Assess
    expect(state).toEqual(previous);
  });

  it('forgets the detached triggers', () => {
    // Prepare
    const state = { userPoolId: POOL_ID, functions: { ...OURS }, replaced: { PreSignUp: THEIRS[0] } };

    // Act
    const after = stateAfterDetach(state, ['PreSignUp', 'CustomMessage']);

    // Assess
    expect(after).toEqual({
      userPoolId: POOL_ID,
      functions: { PostConfirmation: OURS.PostConfirmation },
      replaced: {},
    });
  });
});
