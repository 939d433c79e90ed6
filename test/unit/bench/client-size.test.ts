import { describe, expect, it } from 'vitest';
import {
  CLIENT_SIZE_BUDGETS,
  type ClientEntrySize,
  clientPackage,
  measureClientEntries,
  measureClientEntry,
  renderClientSizeSection,
  withinBudget,
} from '../../../bench/client-size.js';

/** A measured entry; only the fields a test is about differ. */
function size(overrides: Partial<ClientEntrySize> = {}): ClientEntrySize {
  return {
    importPath: '@cognito-sign-up-triggers/client',
    subpath: '.',
    bytes: 3000,
    gzipBytes: 1200,
    nodeBuiltins: [],
    modules: [],
    budgetBytes: 2048,
    ...overrides,
  };
}

function entryNamed(subpath: string) {
  const { name, entries } = clientPackage();
  const entry = entries.find((candidate) => candidate.subpath === subpath);
  if (entry === undefined) throw new Error(`Test: packages/client exports no ${subpath}`);
  return { entry, name };
}

describe('Bench: client package size', () => {
  it('keeps the browser entry (decoder, codes, caller keys) under 2 KB minified and gzipped', async () => {
    // Prepare
    const { entry, name } = entryNamed('.');

    // Act
    const measured = await measureClientEntry(entry, name);

    // Assess
    expect(CLIENT_SIZE_BUDGETS['.']).toBe(2048);
    expect(measured.budgetBytes).toBe(2048);
    expect(measured.gzipBytes).toBeGreaterThan(0);
    expect(measured.gzipBytes, `${measured.gzipBytes} B gzipped`).toBeLessThanOrEqual(2048);
    expect(withinBudget(measured)).toBe(true);
  });

  it('bundles only dependency-free shared modules into the browser entry', async () => {
    // Prepare
    const { entry, name } = entryNamed('.');

    // Act
    const measured = await measureClientEntry(entry, name);

    // Assess
    expect(measured.nodeBuiltins).toEqual([]);
    expect(measured.modules).toEqual([
      'packages/client/src/client.ts',
      'shared/caller-keys.ts',
      'shared/parse-trigger-error.ts',
      'shared/rejection-codes.ts',
      'shared/trigger-source.ts',
    ]);
  });

  it('measures every entry, and finds Node.js built-ins only in the invite entry', async () => {
    // Prepare (the package's own exports map)

    // Act
    const sizes = await measureClientEntries();

    // Assess
    expect(sizes.map((entry) => [entry.importPath, entry.nodeBuiltins])).toEqual([
      ['@cognito-sign-up-triggers/client', []],
      ['@cognito-sign-up-triggers/client/invite', ['node:crypto', 'node:url']],
      ['@cognito-sign-up-triggers/client/events', []],
    ]);
    // Neither Powertools nor the AWS SDK is in any entry.
    expect(
      sizes.flatMap((entry) => entry.modules).filter((module) => module.includes('node_modules')),
    ).toEqual([]);
  });

  it('counts an entry at its budget as within and one byte more as over', () => {
    // Prepare
    const atBudget = size({ gzipBytes: 2048 });
    const over = size({ gzipBytes: 2049 });
    const unbudgeted = size({ gzipBytes: 10_000, budgetBytes: undefined });

    // Act
    const verdicts = [atBudget, over, unbudgeted].map(withinBudget);

    // Assess
    expect(verdicts).toEqual([true, false, true]);
  });

  it('reports each entry with its gzipped size, and says by how much an entry is over its budget', () => {
    // Prepare
    const sizes = [
      size({ gzipBytes: 2100 }),
      size({
        importPath: '@cognito-sign-up-triggers/client/invite',
        subpath: './invite',
        nodeBuiltins: ['node:crypto', 'node:url'],
        budgetBytes: undefined,
      }),
    ];

    // Act
    const section = renderClientSizeSection(sizes);

    // Assess
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    expect(section.startsWith('## Client package\n')).toBe(true);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      /`@cognito-sign-up-triggers\/client` .*\| +2,100 B \| 2,048 B: \*\*over by 52 B\*\*/,
    );
    expect(rows[0]).toContain('none (browser-safe)');
    expect(rows[1]).toMatch(/\| — +\| node:crypto, node:url/);
  });
});
