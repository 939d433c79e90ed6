import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compiledModulePath,
  readCatalogue,
  renderCatalogueModule,
  templateFileOf,
} from '../../../../scripts/compile-templates.js';
import { customMessageSources } from '../../../../shared/trigger-source.js';
import { compiledCatalogue, shippedLocales } from '../../../../triggers/custom-message/templates/compiled.js';

describe('CLI: compile-templates', () => {
  it('has generated templates/compiled.ts from the current template files (run npx tsx scripts/compile-templates.ts)', () => {
    // Prepare
    const committed = readFileSync(compiledModulePath, 'utf8');

    // Act
    const expected = renderCatalogueModule(readCatalogue());

    // Assess
    expect(committed === expected).toBe(true);
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
