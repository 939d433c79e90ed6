import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTriggerHandler } from '../../../../shared/handler-core.js';
import { logger } from '../../../../shared/observability.js';
import { parsePostConfirmationEvent } from '../../../../shared/parse-event.js';
import { addToGroups } from '../../../../triggers/post-confirmation/actions/add-to-groups.js';
import { runOnboarding } from '../../../../triggers/post-confirmation/run-onboarding.js';
import { anyText, hostileText, mapKey, stringMap } from '../../../support/arbitraries.js';
import { lambdaContext, postConfirmationEvent } from '../../../support/builders.js';
import { recordingCognito } from '../../../support/cognito-test-client.js';
import { spyLogger, spyOnLogger } from '../../../support/logger-spies.js';
import { settledOutcomeOf } from '../../../support/outcomes.js';

const DEFAULT_GROUPS = ['users'];
const SELF_SERVICE_GROUPS = ['beta', 'newsletter'];
const ALLOWED = new Set([...DEFAULT_GROUPS, ...SELF_SERVICE_GROUPS]);

// Names an attacker would try: admin groups in every spelling, allowed names with padding or case changes.
const groupName = fc.oneof(
  fc.constantFrom('admins', 'Admins', 'ADMINS', 'admin', 'beta', 'Beta', ' beta', 'users', 'newsletter', ''),
  anyText({ maxLength: 24 }),
);
const groupsValue = fc.oneof(
  fc
    .tuple(fc.array(groupName, { maxLength: 10 }), fc.constantFrom(',', ', ', ' , ', ';'))
    .map(([names, separator]) => names.join(separator)),
  hostileText({ maxLength: 300 }),
);

/** A whole post confirmation event as an attacker may shape it through ConfirmSignUp and the pool's attributes. */
const hostileEvent = fc
  .record({
    triggerSource: fc.constantFrom(
      'PostConfirmation_ConfirmSignUp',
      'PostConfirmation_ConfirmForgotPassword',
      'PostConfirmation_Unknown',
    ),
    clientMetadata: fc.option(stringMap(mapKey('groups', 'group', 'Groups', 'cognito:groups'), groupsValue), {
      nil: undefined,
    }),
    attributes: stringMap(mapKey('cognito:groups', 'custom:groups', 'custom:role', 'groups'), groupsValue, {
      maxKeys: 4,
    }),
  })
  .map(({ triggerSource, clientMetadata, attributes }) => {
    const event = postConfirmationEvent();
    // An undocumented source too: the handler core's unknown-source policy meets it first.
    (event as { triggerSource: string }).triggerSource = triggerSource;
    Object.assign(event.request.userAttributes, attributes, { sub: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' });
    if (clientMetadata !== undefined) event.request.clientMetadata = clientMetadata;
    return event;
  });

describe('Trigger: post-confirmation privilege (property)', () => {
  it('no event content adds the user to a group outside DEFAULT_GROUPS and SELF_SERVICE_GROUPS', async () => {
    spyOnLogger(logger);
    await fc.assert(
      fc.asyncProperty(hostileEvent, fc.boolean(), async (event, onPasswordReset) => {
        // Prepare
        const fake = recordingCognito();
        const handler = createTriggerHandler({
          trigger: 'PostConfirmation',
          parse: parsePostConfirmationEvent,
          rules: [
            runOnboarding(
              { onPasswordReset },
              {
                actions: [
                  addToGroups(
                    { defaultGroups: DEFAULT_GROUPS, selfServiceGroups: SELF_SERVICE_GROUPS },
                    { cognito: fake.cognito },
                  ),
                ],
              },
            ),
          ],
          logger: spyLogger(),
        });

        // Act
        await settledOutcomeOf(handler(event, lambdaContext()));

        // Assess
        const added = fake.groupsAdded();
        expect(added.filter((group) => typeof group !== 'string' || !ALLOWED.has(group))).toEqual([]);
        expect(new Set(added).size).toBe(added.length);
        const onboards =
          event.triggerSource === 'PostConfirmation_ConfirmSignUp' ||
          (onPasswordReset && event.triggerSource === 'PostConfirmation_ConfirmForgotPassword');
        if (!onboards) expect(added).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
