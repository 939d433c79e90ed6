import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compiledModulePath,
  compiledNotificationsModulePath,
  readTemplates,
  renderCatalogueModule,
  renderNotificationsModule,
  templateFileOf,
} from '../../../../scripts/compile-templates.js';
import { customMessageSources } from '../../../../shared/trigger-source.js';
import { notificationNames } from '../../../../triggers/custom-message/notification-template.js';
import { compiledCatalogue, shippedLocales } from '../../../../triggers/custom-message/templates/compiled.js';
import { compiledNotifications } from '../../../../triggers/custom-message/templates/compiled-notifications.js';

describe('CLI: compile-templates', () => {
  it('has generated templates/compiled.ts from the current template files (run npx tsx scripts/compile-templates.ts)', () => {
    // Prepare
    const committed = readFileSync(compiledModulePath, 'utf8');

    // Act
    const expected = renderCatalogueModule(readTemplates().catalogue);

    // Assess
    expect(committed === expected).toBe(true);
  });

  it('has generated templates/compiled-notifications.ts from the current template files', () => {
    // Prepare
    const committed = readFileSync(compiledNotificationsModulePath, 'utf8');

    // Act
    const expected = renderNotificationsModule(readTemplates().notifications);

    // Assess
    expect(committed === expected).toBe(true);
  });

  it('ships every notification in every locale of the catalogue, and no other locale', () => {
    // Prepare
    const locales = Object.keys(compiledCatalogue.locales);

    // Act
    const shipped = Object.entries(compiledNotifications).map(([locale, notifications]) => [
      locale,
      Object.keys(notifications).sort(),
    ]);

    // Assess
    expect(shipped).toEqual(locales.map((locale) => [locale, [...notificationNames].sort()]));
  });

  it('ships en and at least two more locales, each with every source', () => {
    // Prepare
    const locales = Object.keys(compiledCatalogue.locales);

    // Act
    const complete = locales.every((locale) =>
      customMessageSources.every((source) =>
        Object.hasOwn(compiledCatalogue.locales[locale]?.messages ?? {}, source),
      ),
    );

    // Assess
    expect({ first: locales[0], count: locales.length >= 3, complete, listed: [...shippedLocales] }).toEqual({
      first: 'en',
      count: true,
      complete: true,
      listed: locales,
    });
  });

  it.each([
    ['CustomMessage_AdminCreateUser', 'admin-create-user'],
    ['CustomMessage_SignUp', 'sign-up'],
    ['CustomMessage_VerifyUserAttribute', 'verify-user-attribute'],
  ] as const)('names the template of %s %s.yaml', (source, file) => {
    // Prepare: the source

    // Act
    const name = templateFileOf(source);

    // Assess
    expect(name).toBe(file);
  });
});
