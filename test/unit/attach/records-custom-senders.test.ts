import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { physicalIdOf, recordOf } from '../../../attach/custom-resource/physical-id.js';
import {
  readAttachState,
  StateFileError,
  stateAfterAttach,
  stateAfterDetach,
  writeAttachState,
} from '../../../attach/state-file.js';
import { ACCOUNT, functionArn } from './pools.js';

const POOL_ID = 'us-east-1_AbC123';
const EMAIL = functionArn('ours-email-sender');
const SMS = functionArn('ours-sms-sender');
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const THEIR_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f5e7c4e-6d5c-4f6b-9b1d-2f3a4b5c6d7e`;

describe('Attach: the state file and the senders key', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'state-senders-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes and reads back our key and the key it replaced', () => {
    // Prepare
    const path = join(directory, 'state.json');
    const state = stateAfterAttach(
      undefined,
      POOL_ID,
      { CustomEmailSender: EMAIL, CustomSMSSender: SMS },
      { KMSKeyID: THEIR_KEY },
      KEY,
    );

    // Act
    writeAttachState(path, state);
    const read = readAttachState(path);

    // Assess
    expect(read).toEqual({
      userPoolId: POOL_ID,
      functions: { CustomEmailSender: EMAIL, CustomSMSSender: SMS },
      replaced: { KMSKeyID: THEIR_KEY },
      kmsKeyId: KEY,
    });
  });

  it('refuses a state file whose key is not a key ARN', () => {
    // Prepare
    const path = join(directory, 'state.json');
    writeAttachState(path, { userPoolId: POOL_ID, functions: {}, replaced: {}, kmsKeyId: 'alias/codes' });

    // Act
    const read = () => readAttachState(path);

    // Assess
    expect(read).toThrow(StateFileError);
  });

  it('keeps the key while a sender stays, and forgets it and what it replaced with the last one', () => {
    // Prepare
    const state = {
      userPoolId: POOL_ID,
      functions: { CustomEmailSender: EMAIL, CustomSMSSender: SMS },
      replaced: { KMSKeyID: THEIR_KEY },
      kmsKeyId: KEY,
    };

    // Act
    const one = stateAfterDetach(state, ['CustomEmailSender']);
    const both = stateAfterDetach(one, ['CustomSMSSender']);

    // Assess
    expect(one.kmsKeyId).toBe(KEY);
    expect(both).toEqual({ userPoolId: POOL_ID, functions: {}, replaced: {} });
  });

  it('keeps what the first attach replaced when a later attach moves to a new key of ours', () => {
    // Prepare
    const first = stateAfterAttach(
      undefined,
      POOL_ID,
      { CustomEmailSender: EMAIL },
      { KMSKeyID: THEIR_KEY },
      KEY,
    );
    const newKey = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-0123456789abcdef0123456789abcdef`;

    // Act
    const second = stateAfterAttach(first, POOL_ID, { CustomEmailSender: EMAIL }, { KMSKeyID: KEY }, newKey);

    // Assess
    expect({ replaced: second.replaced, kmsKeyId: second.kmsKeyId }).toEqual({
      replaced: { KMSKeyID: THEIR_KEY },
      kmsKeyId: newKey,
    });
  });
});

describe('Custom resource: the physical id and the senders key', () => {
  it('records a replaced key after the replaced functions, and reads it back', () => {
    // Prepare
    const record = {
      userPoolId: POOL_ID,
      replaced: { CustomEmailSender: functionArn('their-email-sender'), KMSKeyID: THEIR_KEY },
    };

    // Act
    const id = physicalIdOf(record);

    // Assess
    expect(id).toBe(
      `cognito-sign-up-triggers|${POOL_ID}|CustomEmailSender=${functionArn('their-email-sender')}|KMSKeyID=${THEIR_KEY}`,
    );
    expect(recordOf(id)).toEqual(record);
  });

  it('reads no record from an id whose key is not an ARN', () => {
    // Act
    const record = recordOf(`cognito-sign-up-triggers|${POOL_ID}|KMSKeyID=alias/codes`);

    // Assess
    expect(record).toBeUndefined();
  });
});
