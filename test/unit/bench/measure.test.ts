import { describe, expect, it } from 'vitest';
import { logNoteOf } from '../../../bench/measure.js';

describe('Bench: logNoteOf', () => {
  it('names the rule that was running when a trigger decision ended in a fault', () => {
    // Prepare
    const line = JSON.stringify({
      level: 'INFO',
      message: 'trigger decision',
      decidedBy: 'decideConfirmation',
      outcome: 'fault',
    });

    // Act
    const note = logNoteOf(line);

    // Assess
    expect(note).toBe('fault in decideConfirmation');
  });

  it('gives the code of a rejection', () => {
    // Prepare
    const line = JSON.stringify({
      level: 'INFO',
      message: 'trigger decision',
      decidedBy: 'verifyCaptcha',
      outcome: 'rejected',
      code: 'CAPTCHA_FAILED',
    });

    // Act
    const note = logNoteOf(line);

    // Assess
    expect(note).toBe('rejected CAPTCHA_FAILED in verifyCaptcha');
  });

  it('counts the onboarding actions that failed, with their reasons', () => {
    // Prepare
    const line = JSON.stringify({
      level: 'INFO',
      message: 'onboarding',
      actions: [
        { action: 'addToGroups', outcome: 'failed', errorName: 'DeadlineExceededError' },
        { action: 'writeProfile', outcome: 'done' },
        { action: 'publishUserConfirmed', outcome: 'failed', errorName: 'DeadlineExceededError' },
      ],
    });

    // Act
    const note = logNoteOf(line);

    // Assess
    expect(note).toBe('2 onboarding action(s) failed (DeadlineExceededError)');
  });

  it('notes an event sent to the failure queue', () => {
    // Prepare
    const line = JSON.stringify({
      level: 'INFO',
      message: 'event sent to the failure queue',
      eventId: 'uc-1',
    });

    // Act
    const note = logNoteOf(line);

    // Assess
    expect(note).toBe('event queued');
  });

  it('gives the message of an ERROR line', () => {
    // Prepare
    const line = JSON.stringify({
      level: 'ERROR',
      message: 'onboarding action failed',
      action: 'addToGroups',
    });

    // Act
    const note = logNoteOf(line);

    // Assess
    expect(note).toBe('onboarding action failed');
  });

  it.each([
    [
      'a successful decision',
      JSON.stringify({ level: 'INFO', message: 'trigger decision', outcome: 'changed' }),
    ],
    ['a WARN line', JSON.stringify({ level: 'WARN', message: 'alias guard: email in use' })],
    ['a line that is not JSON', 'Error: something printed by hand'],
    ['JSON that is not an object', '42'],
  ])('says nothing about %s', (_, line) => {
    // Prepare
    const text = line;

    // Act
    const note = logNoteOf(text);

    // Assess
    expect(note).toBeUndefined();
  });
});
