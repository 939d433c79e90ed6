import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../../../shared/options.js';
import {
  buildVerificationLink,
  parseAllowedOrigins,
  parseConfirmUrl,
} from '../../../../triggers/custom-message/verification-link.js';
import { hostileText } from '../../../support/arbitraries.js';
import { customMessageEvent } from '../../../support/builders.js';
import { errorOf } from '../../../support/outcomes.js';

const settings = {
  confirmUrl: parseConfirmUrl('https://app.example.com/confirm'),
  allowedOrigins: parseAllowedOrigins(['https://app.example.com', 'http://localhost:3000']),
};

describe('Rule: buildVerificationLink', () => {
  it('appends user name, client id and, last and verbatim, the code placeholder', () => {
    // Prepare
    const event = customMessageEvent({ userName: 'a b&c', callerContext: { clientId: 'client1' } });

    // Act
    const { link } = buildVerificationLink(event, settings);

    // Assess
    expect(link).toBe('https://app.example.com/confirm?username=a+b%26c&client_id=client1&code={####}');
  });

  it('leaves out the client id of an admin operation', () => {
    // Prepare
    const event = customMessageEvent({
      userName: 'u',
      callerContext: { clientId: 'CLIENT_ID_NOT_APPLICABLE' },
    });

    // Act
    const { link } = buildVerificationLink(event, settings);

    // Assess
    expect(link).toBe('https://app.example.com/confirm?username=u&code={####}');
  });

  it('keeps a redirectUri on an allowed origin, percent-encoded', () => {
    // Prepare
    const event = customMessageEvent({
      userName: 'u',
      callerContext: { clientId: 'c' },
      request: { clientMetadata: { redirectUri: 'https://APP.example.com:443/done?x=1' } },
    });

    // Act
    const result = buildVerificationLink(event, settings);

    // Assess
    expect(result).toEqual({
      link: 'https://app.example.com/confirm?username=u&client_id=c&redirect_uri=https%3A%2F%2Fapp.example.com%2Fdone%3Fx%3D1&code={####}',
    });
  });

  it.each([
    ['another origin', 'https://evil.example.net/x', 'origin-not-allowed'],
    ['a look-alike sub-domain', 'https://app.example.com.evil.example.net/', 'origin-not-allowed'],
    ['another port', 'https://app.example.com:8443/', 'origin-not-allowed'],
    ['plain http', 'http://app.example.com/', 'not-secure'],
    ['javascript:', 'javascript:alert(1)', 'not-secure'],
    ['credentials', 'https://user:pw@app.example.com/', 'has-credentials'],
    ['a relative path', '/done', 'not-a-url'],
    [
      'a path that grows past the bound once normalised',
      `https://app.example.com/${'é'.repeat(200)}`,
      'too-long',
    ],
    ['an oversized value', `https://app.example.com/${'a'.repeat(3000)}`, 'metadata-invalid'],
  ])('drops a redirectUri with %s and says why', (_label, redirectUri, reason) => {
    // Prepare
    const event = customMessageEvent({ request: { clientMetadata: { redirectUri } } });

    // Act
    const result = buildVerificationLink(event, settings);

    // Assess
    expect({ reason: result.redirectDropped, redirect: result.link?.includes('redirect_uri') }).toEqual({
      reason,
      redirect: false,
    });
  });

  it('accepts http on an allowed loopback origin', () => {
    // Prepare
    const event = customMessageEvent({
      request: { clientMetadata: { redirectUri: 'http://localhost:3000/cb' } },
    });

    // Act
    const result = buildVerificationLink(event, settings);

    // Assess
    expect(result.redirectDropped).toBeUndefined();
  });

  it.each(['', '{"#}', '{#<#>}', '{# #}'])(
    'builds no link around the unsafe placeholder %j',
    (codeParameter) => {
      // Prepare
      const event = customMessageEvent({ request: { codeParameter } });

      // Act
      const { link } = buildVerificationLink(event, settings);

      // Assess
      expect(link).toBeUndefined();
    },
  );

  it('never points outside the allowed origins, whatever the ClientMetadata and user name', () => {
    fc.assert(
      fc.property(hostileText(), hostileText({ maxLength: 200 }), fc.webUrl(), (name, raw, web) => {
        // Prepare
        const redirectUri = raw.length % 2 === 0 ? raw : web;
        const event = customMessageEvent({ userName: name, request: { clientMetadata: { redirectUri } } });

        // Act
        const { link } = buildVerificationLink(event, settings);

        // Assess
        const url = new URL(link ?? '');
        const redirect = url.searchParams.get('redirect_uri');
        expect(url.origin).toBe('https://app.example.com');
        expect(redirect === null || settings.allowedOrigins.has(new URL(redirect).origin)).toBe(true);
        expect(link).toMatch(/^[^\s"'<>]*$/);
      }),
    );
  });
});

describe('Rule: parseConfirmUrl and parseAllowedOrigins', () => {
  it.each([
    ['app.example.com/confirm', 'an absolute URL'],
    ['http://app.example.com/c', 'an https URL (http only on a loopback host)'],
    ['https://u:p@app.example.com/', 'a URL without credentials'],
    ['https://a.example.com/#x', 'a URL without a fragment'],
  ])('refuses CONFIRM_URL %s, saying why: %s', (text, expected) => {
    // Act
    const error = errorOf(OptionsError, () => parseConfirmUrl(text));

    // Assess
    expect({ option: error.option, expected: error.expected }).toEqual({ option: 'confirmUrl', expected });
  });

  it.each([
    'https://app.example.com/',
    'https://app.example.com/path',
    'http://app.example.com',
    '*.example.com',
  ])('refuses the allowed origin %s: only exact https origins, naming the entry', (entry) => {
    // Act
    const error = errorOf(OptionsError, () => parseAllowedOrigins(['https://app.example.com', entry]));

    // Assess
    expect(error.option).toBe('allowedRedirectOrigins');
    expect(error.expected).toContain(`"${entry}" is not one`);
  });
});
