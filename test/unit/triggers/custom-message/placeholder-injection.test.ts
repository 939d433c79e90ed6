/**
 * Issue 10 §1: no value a caller controls can put a Cognito placeholder or a link into a genuine message.
 * Cognito fills every `{####}`, `{username}` and `{##…##}` in the message it sends (docs/cognito-contract.md
 * §3a), so an extra one would carry the real code or temporary password into the attacker's text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomMessageEvent } from '../../../../shared/event-types.js';
import { countPlaceholders, type EmailVerificationOption } from '../../../../shared/message-rules.js';
import { customMessageSources } from '../../../../shared/trigger-source.js';
import { composeMessages } from '../../../../triggers/custom-message/compose-message.js';
import { attributeVariables } from '../../../../triggers/custom-message/template-variables.js';
import { shippedLocales } from '../../../../triggers/custom-message/templates/compiled.js';
import { injectionText, mapKey, mapOf } from '../../../support/arbitraries.js';
import { customMessageEvent } from '../../../support/builders.js';

const CONFIRM_URL = 'https://app.example.com/confirm';
const options = {
  appName: 'Example',
  supportEmail: 'help@example.com',
  confirmUrl: CONFIRM_URL,
  allowedRedirectOrigins: ['https://app.example.com'],
};
const composers = {
  CONFIRM_WITH_CODE: composeMessages({ ...options, emailOption: 'CONFIRM_WITH_CODE' }),
  CONFIRM_WITH_LINK: composeMessages({ ...options, emailOption: 'CONFIRM_WITH_LINK' }),
} satisfies Record<EmailVerificationOption, unknown>;
const fields = ['emailSubject', 'emailMessage', 'smsMessage'] as const;

// Our own verification link: its query carries the percent-encoded user name and redirect, never text.
const OWN_LINK = /href="https:\/\/app\.example\.com\/confirm\?[^"]*"/g;
// A marker host written with any dot a mail client or an IDN parser reads as one.
const MARKER_HOST = /evil\s*[.\u3002\uFF0E\uFF61]\s*example/iu;
// Link-making text: a scheme, `www.` before a word, or an address.
const LINK_TEXT = /:\/\/|www\.(?=[\p{L}\p{N}])|@/giu;

function eventOf(
  source: (typeof customMessageSources)[number],
  locale: string,
  attributes: Record<string, string>,
  extra: { userName: string; clientMetadata: Record<string, string> },
): CustomMessageEvent {
  const admin = source === 'CustomMessage_AdminCreateUser';
  const event = customMessageEvent({
    triggerSource: source,
    userName: extra.userName,
    request: {
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: admin ? '{username}' : null,
      clientMetadata: { ...extra.clientMetadata, locale },
    },
  });
  event.request.userAttributes = { ...event.request.userAttributes, ...attributes };
  return event;
}

const attributesArbitrary = fc.record(
  Object.fromEntries(attributeVariables.map((name) => [name, injectionText()])) as Record<
    (typeof attributeVariables)[number],
    fc.Arbitrary<string>
  >,
  { requiredKeys: [] },
);
const redirectArbitrary = injectionText().map((tail) => `https://app.example.com/${tail}`);
const metadataArbitrary = fc
  .array(fc.tuple(mapKey('redirectUri', 'locale'), fc.oneof(injectionText(), redirectArbitrary)), {
    maxLength: 4,
  })
  .map((entries) => ({ ...mapOf(entries) }));

describe('Trigger: custom-message, caller text in genuine messages (issue 10 §1)', () => {
  it('renders exactly the placeholders its template has, and no caller URL or host, for every source, locale and verification option', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...customMessageSources),
        fc.constantFrom(...shippedLocales),
        fc.constantFrom<EmailVerificationOption>('CONFIRM_WITH_CODE', 'CONFIRM_WITH_LINK'),
        attributesArbitrary,
        injectionText(),
        metadataArbitrary,
        (source, locale, emailOption, attributes, userName, clientMetadata) => {
          // Prepare
          const composeMessage = composers[emailOption];
          const hostile = eventOf(source, locale, attributes, { userName, clientMetadata });
          const benign = eventOf(source, locale, {}, { userName: 'jane.doe', clientMetadata: {} });

          // Act
          const { response } = composeMessage(hostile);
          const reference = composeMessage(benign).response;

          // Assess
          for (const field of fields) {
            const text = response[field];
            if (text === null) continue;
            const expected = reference[field] ?? '';
            expect(countPlaceholders(text, hostile.request)).toBe(
              countPlaceholders(expected, benign.request),
            );
            const shown = text.replace(OWN_LINK, '');
            expect(shown).not.toMatch(MARKER_HOST);
            expect(shown.match(LINK_TEXT)?.length ?? 0).toBe(
              expected.replace(OWN_LINK, '').match(LINK_TEXT)?.length ?? 0,
            );
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it.each(customMessageSources)('keeps the attack from the issue out of %s', (source) => {
    // Prepare: anyone can sign up with a victim's address and this given_name
    const attack = 'see https://evil.example/v?c={####}';
    const event = eventOf(
      source,
      'en',
      {
        given_name: attack,
        family_name: '{username}',
        name: '{##Click Here##}',
        nickname: 'www.evil.example',
      },
      { userName: '{####}', clientMetadata: { redirectUri: 'https://app.example.com/{####}' } },
    );

    // Act
    const { response, notes } = composers.CONFIRM_WITH_CODE(event);

    // Assess
    expect(response.emailMessage).not.toContain('evil');
    expect(response.smsMessage).not.toContain('evil');
    expect(countPlaceholders(response.smsMessage ?? '', event.request)).toBe(
      source === 'CustomMessage_AdminCreateUser' ? 2 : 1,
    );
    expect(notes).toContainEqual({ kind: 'value-withheld', variable: 'given_name', reason: 'not-a-name' });
  });
});
