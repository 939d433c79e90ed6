/**
 * The client package's entries re-export the very modules the triggers run (one copy), and nothing that
 * drags in Powertools or the AWS SDK. Importing them here also puts them under `tsc --noEmit`.
 */
import { describe, expect, it } from 'vitest';
import * as client from '../../../../packages/client/src/client.js';
import * as events from '../../../../packages/client/src/events.js';
import * as invite from '../../../../packages/client/src/invite.js';
import * as callerKeys from '../../../../shared/caller-keys.js';
import * as eventTypes from '../../../../shared/event-types.js';
import * as inviteModule from '../../../../shared/invite.js';
import * as options from '../../../../shared/options.js';
import * as parseTriggerError from '../../../../shared/parse-trigger-error.js';
import * as rejectionCodes from '../../../../shared/rejection-codes.js';
import * as triggerSource from '../../../../shared/trigger-source.js';

/** Every runtime export of `entry` that is not the same object as the one of a defining module. */
function copies(entry: Record<string, unknown>, modules: readonly Record<string, unknown>[]): string[] {
  return Object.entries(entry)
    .filter(
      ([name, value]) => !modules.some((module) => Object.hasOwn(module, name) && module[name] === value),
    )
    .map(([name]) => name);
}

describe('Package: client entries', () => {
  it.each([
    ['client', client, [callerKeys, parseTriggerError, rejectionCodes, triggerSource]],
    ['invite', invite, [inviteModule, options]],
    ['events', events, [eventTypes, triggerSource]],
  ] as const)(
    're-exports from the %s entry only what shared/ defines, unchanged',
    (_name, entry, modules) => {
      // Prepare
      const exported = Object.keys(entry);

      // Act
      const copied = copies(entry, modules);

      // Assess
      expect(exported.length).toBeGreaterThan(0);
      expect(copied).toEqual([]);
    },
  );

  it('decodes with the same function the golden suite and the e2e tests use', () => {
    // Prepare
    const message =
      'PreSignUp failed with error ACCOUNT_LINKED: Your accounts have been linked. Please sign in again..';

    // Act
    const info = client.parseTriggerError(message);

    // Assess
    expect(info).toEqual({
      trigger: 'PreSignUp',
      code: 'ACCOUNT_LINKED',
      message: client.Rejections.ACCOUNT_LINKED,
    });
  });
});
