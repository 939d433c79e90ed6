import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomEmailSenderAccountTakeOverEvent } from '../../../../shared/custom-sender/events.js';
import { BRACE_LIKE } from '../../../../shared/message-rules.js';
import { OptionsError } from '../../../../shared/options.js';
import { compileNotificationTemplate } from '../../../../triggers/custom-message/notification-syntax.js';
import { oneClickLink } from '../../../../triggers/custom-message/notification-template.js';
import { TemplateError } from '../../../../triggers/custom-message/template-syntax.js';
import { shippedLocales } from '../../../../triggers/custom-message/templates/compiled.js';
import { notificationComposer } from '../../../../triggers/custom-sender/compose.js';
import { injectionText } from '../../../support/arbitraries.js';
import { accountTakeOverEvent } from '../../../support/builders.js';
import { errorOf } from '../../../support/outcomes.js';

const VALID_LINK = 'https://cognito-idp.us-east-1.amazonaws.com/risk/feedback?token=valid&event=1';
const INVALID_LINK = 'https://cognito-idp.us-east-1.amazonaws.com/risk/feedback?token=invalid&event=1';

const baseEvent: CustomEmailSenderAccountTakeOverEvent = accountTakeOverEvent({
  EVENT_ID: 'b0c1f3d2-0a4e-4b7e-9a1c-2f3e4d5c6b7a',
  USER_NAME: 'jane.doe@example.com',
  IP_ADDRESS: '203.0.113.7',
  ACCOUNT_TAKE_OVER_ACTION: 'BLOCK',
  ONE_CLICK_LINK_VALID: VALID_LINK,
  ONE_CLICK_LINK_INVALID: INVALID_LINK,
  LOGIN_TIME: 'Friday, March 19, 2021 02:25 PM UTC',
  FEEDBACK_TOKEN: 'feedback-token-example',
  CITY: 'Lisbon',
  COUNTRY: 'Portugal',
  DEVICE_NAME: '(Opera 74, Linux)',
});

/** The base event with some threat fields replaced. */
function takeoverEvent(fields: Record<string, string | null> = {}): CustomEmailSenderAccountTakeOverEvent {
  const event = structuredClone(baseEvent);
  Object.assign(event.request.userAttributes, fields);
  return event;
}

const compose = notificationComposer({ appName: 'Example', supportEmail: 'help@example.com' });
const recipient = (locale?: string) => ({
  attributes: new Map(locale === undefined ? [] : [['locale', locale]]),
});

/** The href values of a rendered body. */
function hrefsOf(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
}

describe('Custom sender: account-takeover notification', () => {
  it.each(shippedLocales.map((locale) => [locale] as const))(
    'renders the %s notification: subject, when, where, device and both one-click links',
    (locale) => {
      // Act
      const message = compose(takeoverEvent(), recipient(locale));

      // Assess
      expect(message.locale).toBe(locale);
      expect(message.subject).toContain('Example');
      expect(message.subject).not.toMatch(/[<>\r\n]/);
      expect(message.body).toContain(`<html lang="${locale}"`);
      for (const value of ['Friday, March 19, 2021 02:25 PM UTC', 'Lisbon, Portugal', '203.0.113.7']) {
        expect(message.body).toContain(value);
      }
      expect(message.body).toContain('Opera 74, Linux');
      expect(hrefsOf(message.body)).toEqual([
        VALID_LINK.replace(/&/g, '&amp;'),
        INVALID_LINK.replace(/&/g, '&amp;'),
      ]);
      expect(message.body).toContain('help@example.com');
      expect(message.withheld).toEqual([]);
    },
  );

  it.each([
    ['BLOCK', 'We blocked this sign-in.'],
    ['MFA_REQUIRED', 'extra verification step'],
    ['MFA_IF_CONFIGURED', 'multi-factor authentication is set up'],
    ['NO_ACTION', 'The sign-in was allowed.'],
  ])('says what was done for %s, and only that', (action, sentence) => {
    // Act
    const message = compose(takeoverEvent({ ACCOUNT_TAKE_OVER_ACTION: action }), recipient('en'));

    // Assess
    const sentences = [
      'We blocked this sign-in.',
      'extra verification step',
      'multi-factor authentication is set up',
      'The sign-in was allowed.',
    ];
    expect(sentences.filter((candidate) => message.body.includes(candidate))).toEqual([sentence]);
  });

  it('says nothing of the outcome for an action it does not know (MFA of DT, a future one)', () => {
    // Act
    const message = compose(takeoverEvent({ ACCOUNT_TAKE_OVER_ACTION: 'MFA' }), recipient('en'));

    // Assess
    expect(message.body).not.toContain('blocked');
    expect(message.body).not.toContain('allowed');
    expect(message.body).toContain('We detected a sign-in');
  });

  it("uses DEFAULT_LOCALE when the user's locale attribute is absent or not shipped", () => {
    // Prepare
    const spanish = notificationComposer({ appName: 'Example', defaultLocale: 'es' });

    // Act
    const locales = [spanish(takeoverEvent(), recipient()), spanish(takeoverEvent(), recipient('de'))].map(
      (message) => message.locale,
    );

    // Assess
    expect(locales).toEqual(['es', 'es']);
  });

  it.each([
    ['(Chrome 131, Windows 10)', 'Chrome 131, Windows 10'],
    ['(Firefox 133, Windows 11)', 'Firefox 133, Windows 11'],
    ['(Chrome Mobile WebView 120, Android 14)', 'Chrome Mobile WebView 120, Android 14'],
    ['(Mobile Safari 17.1, Mac OS X)', 'Mobile Safari 17.1, Mac OS X'],
  ])('shows a real device name, version numbers and all: %s', (deviceName, shown) => {
    // Act
    const message = compose(takeoverEvent({ DEVICE_NAME: deviceName }), recipient('en'));

    // Assess
    expect({ withheld: message.withheld, shown: message.body.includes(shown) }).toEqual({
      withheld: [],
      shown: true,
    });
  });

  it('leaves out the optional place and device when Cognito sends null', () => {
    // Act
    const message = compose(takeoverEvent({ CITY: null, COUNTRY: null, DEVICE_NAME: null }), recipient('en'));

    // Assess
    expect(message.body).not.toContain('Where:');
    expect(message.body).not.toContain('Device:');
    expect(message.withheld).toEqual([]);
  });

  it('shows the country alone when the city is absent', () => {
    // Act
    const message = compose(takeoverEvent({ CITY: null }), recipient('en'));

    // Assess
    expect(message.body).toContain('<li>Where: Portugal</li>');
  });

  it.each([
    ['plain http', 'http://cognito-idp.us-east-1.amazonaws.com/risk?token=1'],
    ['a foreign host', 'https://evil.example/risk?token=1'],
    ['a look-alike host', 'https://cognito-idp.us-east-1.amazonaws.com.evil.example/risk'],
    ['a host ending like an AWS one', 'https://notamazonaws.com/risk'],
    [
      'credentials that hide the host',
      'https://evil.example@cognito-idp.us-east-1.amazonaws.com.evil.example/',
    ],
    ['a backslash host switch', 'https:\\\\evil.example\\@cognito-idp.us-east-1.amazonaws.com/'],
    ['a port', 'https://cognito-idp.us-east-1.amazonaws.com:8443/risk'],
    ['a javascript URL', 'javascript:alert(1)//amazonaws.com'],
    ['a relative URL', '/risk/feedback?token=1'],
    ['a placeholder', 'https://cognito-idp.us-east-1.amazonaws.com/{##Click##}'],
    ['a fragment', 'https://cognito-idp.us-east-1.amazonaws.com/risk#x'],
    ['whitespace', 'https://cognito-idp.us-east-1.amazonaws.com/risk x'],
  ])('drops a one-click link with %s', (_case, link) => {
    // Act
    const message = compose(takeoverEvent({ ONE_CLICK_LINK_VALID: link }), recipient('en'));

    // Assess: only the other link is left, and the variable is named (never its value).
    expect(hrefsOf(message.body)).toEqual([INVALID_LINK.replace(/&/g, '&amp;')]);
    expect(message.body).not.toContain('Yes, this was me');
    expect(message.withheld).toEqual(['linkValid']);
  });

  it('accepts links on the Cognito hosted domain, an AWS subdomain and the China partition', () => {
    // Act
    const links = [
      'https://example.auth.us-east-1.amazoncognito.com/risk?t=1',
      'https://cognito-idp.eu-west-1.amazonaws.com/risk?t=1',
      'https://cognito-idp.cn-north-1.amazonaws.com.cn/risk?t=1',
      'https://COGNITO-IDP.us-east-1.AMAZONAWS.com/risk?t=1',
    ].map((link) => oneClickLink(link));

    // Assess
    expect(links).toEqual([
      'https://example.auth.us-east-1.amazoncognito.com/risk?t=1',
      'https://cognito-idp.eu-west-1.amazonaws.com/risk?t=1',
      'https://cognito-idp.cn-north-1.amazonaws.com.cn/risk?t=1',
      'https://cognito-idp.us-east-1.amazonaws.com/risk?t=1',
    ]);
  });

  it('accepts a link on a host the operator adds (ONE_CLICK_LINK_HOSTS), and only there', () => {
    // Prepare: a pool whose links would use its custom domain
    const custom = notificationComposer({ appName: 'Example' }, ['Auth.Example.com.', '*.login.example.org']);
    const links = [
      'https://auth.example.com/risk?t=1',
      'https://eu.login.example.org/risk?t=1',
      'https://login.example.org/risk?t=1',
      'https://auth.example.com.attacker.example/risk?t=1',
      'https://example.com/risk?t=1',
    ];

    // Act
    const shown = links.map(
      (link) => hrefsOf(custom(takeoverEvent({ ONE_CLICK_LINK_VALID: link }), recipient('en')).body)[0],
    );
    const byDefault = hrefsOf(
      compose(takeoverEvent({ ONE_CLICK_LINK_VALID: links[0] ?? '' }), recipient('en')).body,
    );

    // Assess: `auth.example.com` is that host; `*.login.example.org` its sub-domains, not the apex.
    expect(shown).toEqual([
      'https://auth.example.com/risk?t=1',
      'https://eu.login.example.org/risk?t=1',
      INVALID_LINK.replace(/&/g, '&amp;'),
      INVALID_LINK.replace(/&/g, '&amp;'),
      INVALID_LINK.replace(/&/g, '&amp;'),
    ]);
    expect(byDefault).toEqual([INVALID_LINK.replace(/&/g, '&amp;')]);
  });

  it.each([
    ['a URL', 'https://auth.example.com'],
    ['a host with a port', 'auth.example.com:443'],
    ['a wildcard in the middle', 'auth.*.example.com'],
  ])('refuses an extra link host that is %s, naming the option', (_case, host) => {
    // Act
    const error = errorOf(OptionsError, () => notificationComposer({ appName: 'Example' }, [host]));

    // Assess
    expect(error.option).toBe('oneClickLinkHosts');
  });

  it('inserts a link as the URL parser serialises it, so a quote cannot close the href attribute', () => {
    // Act
    const message = compose(
      takeoverEvent({ ONE_CLICK_LINK_VALID: 'https://cognito-idp.us-east-1.amazonaws.com/"onclick="x' }),
      recipient('en'),
    );

    // Assess
    expect(hrefsOf(message.body)[0]).toBe('https://cognito-idp.us-east-1.amazonaws.com/%22onclick=%22x');
    expect(message.body).not.toContain('onclick="');
  });

  it('says to change the password when the "this was not me" link is dropped', () => {
    // Act
    const message = compose(
      takeoverEvent({ ONE_CLICK_LINK_INVALID: 'https://evil.example/' }),
      recipient('en'),
    );

    // Assess
    expect(message.body).toContain('If this was not you, change your password now.');
    expect(message.withheld).toEqual(['linkInvalid']);
  });

  it.each([
    ['LOGIN_TIME', 'loginTime', 'call tel:+14155550100 now'],
    ['LOGIN_TIME', 'loginTime', 'see evil.example/login'],
    ['IP_ADDRESS', 'ipAddress', '203.0.113.7 <b>'],
    ['IP_ADDRESS', 'ipAddress', 'evil.example'],
    ['CITY', 'city', 'Visit https://evil.example'],
    ['COUNTRY', 'country', 'evil.example'],
    ['DEVICE_NAME', 'device', '(Call 4155550100, Linux)'],
    ['DEVICE_NAME', 'device', '(Chrome, Windows. Your account is locked, reply with your password)'],
    ['DEVICE_NAME', 'device', '(Chrome 131, see evil.example)'],
    ['DEVICE_NAME', 'device', '(Chrome 131, Windows 10, call us now)'],
  ])('withholds a %s that breaks its rule (%s)', (field, variable, value) => {
    // Act
    const message = compose(takeoverEvent({ [field]: value }), recipient('en'));

    // Assess
    expect(message.withheld).toEqual([variable]);
    expect(message.body).not.toContain(value.replace(/</g, '&lt;'));
  });

  it('keeps hostile text in any threat field from forming a placeholder, markup or another link', () => {
    fc.assert(
      fc.property(
        fc.record({
          LOGIN_TIME: injectionText(),
          IP_ADDRESS: injectionText(),
          CITY: injectionText(),
          COUNTRY: injectionText(),
          DEVICE_NAME: injectionText(),
          ACCOUNT_TAKE_OVER_ACTION: injectionText(),
          ONE_CLICK_LINK_VALID: injectionText(),
          ONE_CLICK_LINK_INVALID: injectionText(),
          USER_NAME: injectionText(),
          EVENT_ID: injectionText(),
          FEEDBACK_TOKEN: injectionText(),
        }),
        fc.constantFrom(...shippedLocales),
        (fields, locale) => {
          // Prepare
          const event = takeoverEvent(fields);
          const clean = compose(
            takeoverEvent({ ONE_CLICK_LINK_VALID: '', ONE_CLICK_LINK_INVALID: '' }),
            recipient(locale),
          );

          // Act
          const message = compose(event, recipient(locale));

          // Assess: no brace anywhere, no tag or link beyond the template's own, every link an allowed one.
          expect(BRACE_LIKE.test(message.body) || BRACE_LIKE.test(message.subject)).toBe(false);
          expect(message.subject).not.toMatch(/[<>\r\n]/);
          const tags = (html: string) => [...html.matchAll(/<\/?([a-z]+)/gi)].map((match) => match[1]);
          const anchors = hrefsOf(message.body).length;
          const allowed = new Set([...tags(clean.body), 'a']);
          expect(tags(message.body).filter((tag) => !allowed.has(tag))).toEqual([]);
          expect(message.body.split('<').length).toBeLessThanOrEqual(clean.body.split('<').length + 4);
          expect(anchors).toBeLessThanOrEqual(2);
          for (const href of hrefsOf(message.body)) {
            expect(oneClickLink(href.replace(/&amp;/g, '&'))).toBeDefined();
          }
        },
      ),
    );
  });
});

describe('Custom sender: compileNotificationTemplate', () => {
  it.each([
    ['an unknown variable', '<p>{{email}}</p>', 'emailMessage'],
    ['a flag as text', '<p>{{actionBlock}}</p>', 'emailMessage'],
    ['a link as text', '<p>Open {{linkValid}}</p>', 'emailMessage'],
    ['a link in another attribute', '<img src="{{linkValid}}">', 'emailMessage'],
    ['a threat value inside a tag', '<p title="{{city}}">x</p>', 'emailMessage'],
    ['a threat value joined to a host', '<p>www.{{city}}.example</p>', 'emailMessage'],
    ['a threat value in a subject', 'Sign-in from {{city}}', 'emailSubject'],
    ['HTML in a subject', '<b>{{appName}}</b>', 'emailSubject'],
    ['a brace in the text', '<p>{####}</p>', 'emailMessage'],
    ['an unclosed section', '{{#city}}<p>{{city}}</p>', 'emailMessage'],
  ] as const)('refuses %s', (_case, text, field) => {
    // Act
    const compile = () => compileNotificationTemplate('en/test.notification.yaml', text, field);

    // Assess
    expect(compile).toThrow(TemplateError);
  });

  it('compiles a link as a whole href value inside its section', () => {
    // Act
    const parts = compileNotificationTemplate(
      'en/test.notification.yaml',
      '{{#linkValid}}<a href="{{linkValid}}">me</a>{{/linkValid}}',
      'emailMessage',
    );

    // Assess
    expect(parts).toEqual([{ s: 'linkValid', p: ['<a href="', { v: 'linkValid' }, '">me</a>'] }]);
  });
});
