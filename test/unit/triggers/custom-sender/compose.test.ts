import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  CustomEmailSenderCodeEvent,
  CustomSMSSenderEvent,
} from '../../../../shared/custom-sender/events.js';
import { fillPlaceholders, hasTemplate, senderComposer } from '../../../../triggers/custom-sender/compose.js';
import { injectionText } from '../../../support/arbitraries.js';
import { codeEmailSenderEvent, smsSenderEvent } from '../../../support/builders.js';

/** An event of a pool whose users sign in with their email: the user name is the `sub` (contract §1). */
function emailEvent(
  triggerSource: CustomEmailSenderCodeEvent['triggerSource'],
  attributes: Record<string, string> = {},
  userName = 'sub-1',
): CustomEmailSenderCodeEvent {
  const userAttributes = { sub: 'sub-1', email: 'jane@example.com', ...attributes };
  return codeEmailSenderEvent(triggerSource, { code: 'AYADeA==', userAttributes }, { userName });
}

function smsEvent(): CustomSMSSenderEvent {
  return smsSenderEvent(
    'CustomSMSSender_ForgotPassword',
    { code: 'AYADeA==', userAttributes: { phone_number: '+14155550100' }, clientMetadata: { locale: 'fr' } },
    { userName: 'sub-1' },
  );
}

const compose = senderComposer({ appName: 'Example' });

describe('Custom sender: fillPlaceholders', () => {
  it('fills every code and user name placeholder in one pass: a value holding the other stays as it is', () => {
    // Prepare
    const text = 'Code {####} ({####}) for {username}';

    // Act
    const filled = fillPlaceholders(text, { code: '{username}$&', username: '{####}' }, false);

    // Assess
    expect(filled).toBe('Code {username}$& ({username}$&) for {####}');
  });

  it('escapes the values for an HTML body, and only the values', () => {
    // Prepare
    const text = '<p>{####}</p>';

    // Act
    const filled = fillPlaceholders(text, { code: 'a<b>&"c\'', username: '' }, true);

    // Assess
    expect(filled).toBe('<p>a&lt;b&gt;&amp;&quot;c&#39;</p>');
  });
});

describe('Custom sender: senderComposer', () => {
  it('composes the catalogue email of the matching custom message source with the code in it', () => {
    // Act
    const message = compose(emailEvent('CustomEmailSender_SignUp'), '482913');

    // Assess
    expect(message.body).toContain('482913');
    expect(message.body).not.toContain('{####}');
    expect(message.subject).toContain('Example');
    expect(message.fallbacks).toEqual([]);
  });

  it("puts the sign-in name and the temporary password in an administrator's invitation: the email where the user name is the sub (contract §1)", () => {
    // Act
    const message = compose(emailEvent('CustomEmailSender_AdminCreateUser'), 'Temp-Pass-9');

    // Assess
    expect(message.body).toContain('Temp-Pass-9');
    expect(message.body).toContain('jane@example.com');
    expect(message.body).not.toContain('sub-1');
    expect(message.body).not.toContain('{username}');
  });

  it('names the user name in the invitation of a pool whose users sign in with a user name, not their email', () => {
    // Act
    const message = compose(emailEvent('CustomEmailSender_AdminCreateUser', {}, 'jdoe'), 'Temp-Pass-9');

    // Assess
    expect(message.body).toContain('jdoe');
    expect(message.body).not.toContain('jane@example.com');
  });

  it('names the phone number in an SMS invitation where the user name is the sub, though the user has an email', () => {
    // Prepare
    const event = smsSenderEvent(
      'CustomSMSSender_AdminCreateUser',
      {
        code: 'AYADeA==',
        userAttributes: { sub: 'sub-2', email: 'jane@example.com', phone_number: '+14155550100' },
      },
      { userName: 'sub-2' },
    );

    // Act
    const message = compose(event, 'Temp-Pass-9');

    // Assess
    expect(message.body).toContain('+14155550100');
    expect(message.body).not.toContain('jane@example.com');
    expect(message.body).not.toContain('sub-2');
  });

  it('composes a plain-text SMS in the locale ClientMetadata asks for', () => {
    // Act
    const message = compose(smsEvent(), '730561');

    // Assess
    expect(message.subject).toBeUndefined();
    expect(message.body).toContain('730561');
    expect(message.locale).toBe('fr');
  });

  it('never lets caller text become a placeholder the code fills (contract §3a)', () => {
    fc.assert(
      fc.property(injectionText(), (hostile) => {
        // Prepare
        const event = emailEvent('CustomEmailSender_SignUp', { given_name: hostile, name: hostile });

        // Act
        const message = compose(event, 'CODE-7');

        // Assess: the template's one code placeholder, and no other, became the code.
        const bodyCodes = message.body.split('CODE-7').length - 1;
        expect(bodyCodes).toBe(1);
      }),
    );
  });

  it('has a code template for every documented source but the account-takeover notification', () => {
    // Act
    const withTemplate = ['CustomEmailSender_SignUp', 'CustomSMSSender_Authentication'].map(hasTemplate);
    const takeover = hasTemplate('CustomEmailSender_AccountTakeOverNotification');

    // Assess
    expect(withTemplate).toEqual([true, true]);
    expect(takeover).toBe(false);
  });
});
