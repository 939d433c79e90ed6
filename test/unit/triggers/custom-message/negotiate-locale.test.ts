import { describe, expect, it } from 'vitest';
import { lookupLocale, negotiateLocale } from '../../../../triggers/custom-message/negotiate-locale.js';
import { customMessageEvent } from '../../../support/builders.js';

const shipped = ['en', 'es', 'fr', 'pt-BR'];

describe('Rule: lookupLocale', () => {
  it.each([
    ['fr', 'fr'],
    ['FR', 'fr'],
    ['pt-br', 'pt-BR'],
    ['pt_BR', 'pt-BR'],
    ['fr-CA', 'fr'],
    ['es-419', 'es'],
    ['fr-Latn-CA-x-private', 'fr'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['de-DE', undefined],
    ['', undefined],
    ['en US', undefined],
    ['x'.repeat(36), undefined],
  ])('resolves %j to %j', (requested, expected) => {
    // Prepare: the shipped locales above

    // Act
    const found = lookupLocale(requested, shipped);

    // Assess
    expect(found).toBe(expected);
  });

  it('prefers the exact region over the language fallback', () => {
    // Prepare
    const withPortugal = ['en', 'pt-BR', 'pt-PT'];

    // Act
    const found = lookupLocale('pt-PT', withPortugal);

    // Assess
    expect(found).toBe('pt-PT');
  });
});

describe('Rule: negotiateLocale', () => {
  it('takes ClientMetadata locale first', () => {
    // Prepare
    const event = customMessageEvent({
      request: { clientMetadata: { locale: 'es-MX' }, userAttributes: { locale: 'fr' } },
    });

    // Act
    const negotiated = negotiateLocale(event, shipped, 'en');

    // Assess
    expect(negotiated).toEqual({ locale: 'es', source: 'clientMetadata' });
  });

  it('falls back to the locale attribute when ClientMetadata names no shipped locale, and says why', () => {
    // Prepare
    const event = customMessageEvent({
      request: { clientMetadata: { locale: 'de' }, userAttributes: { locale: 'pt_BR' } },
    });

    // Act
    const negotiated = negotiateLocale(event, shipped, 'en');

    // Assess
    expect(negotiated).toEqual({
      locale: 'pt-BR',
      source: 'userAttribute',
      ignoredMetadata: 'locale is not a shipped locale',
    });
  });

  it('ignores a malformed ClientMetadata locale instead of failing the message', () => {
    // Prepare
    const event = customMessageEvent({ request: { clientMetadata: { locale: '<script>' } } });

    // Act
    const negotiated = negotiateLocale(event, shipped, 'fr');

    // Assess
    expect(negotiated).toEqual({
      locale: 'fr',
      source: 'default',
      ignoredMetadata: 'locale does not match the expected pattern',
    });
  });

  it('uses the default when neither names a shipped locale', () => {
    // Prepare
    const event = customMessageEvent({ request: { userAttributes: { locale: 'ja' } } });

    // Act
    const negotiated = negotiateLocale(event, shipped, 'en');

    // Assess
    expect(negotiated).toEqual({ locale: 'en', source: 'default' });
  });

  it('reads only an own locale attribute, never an inherited one', () => {
    // Prepare
    const event = customMessageEvent();
    event.request.userAttributes = Object.create({ locale: 'fr' });

    // Act
    const negotiated = negotiateLocale(event, shipped, 'en');

    // Assess
    expect(negotiated.locale).toBe('en');
  });
});
