import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { parseTriggerError } from '../../../shared/parse-trigger-error.js';
import { isRejectionCode, Rejections } from '../../../shared/rejection-codes.js';
import { preSignUp } from '../../../triggers/pre-sign-up/trigger.js';

const PRE_SIGN_UP_DOC = readFileSync(join(PROJECT_ROOT, 'docs', 'pre-sign-up.md'), 'utf8');

/** The rows of the markdown table under `heading`, as arrays of trimmed cells (header and rule left out). */
function tableUnder(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`Test: no "${heading}" in the document`);
  const lines = markdown.slice(start).split('\n').slice(2);
  const firstRow = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(firstRow)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2);
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

describe('Shared: rejection codes', () => {
  it('lists in docs/pre-sign-up.md exactly the registry, each with its sentence', () => {
    // Prepare
    const rows = tableUnder(PRE_SIGN_UP_DOC, '## Rejection codes');

    // Act
    const documented = Object.fromEntries(
      rows.map(([code = '', sentence = '']) => [unquote(code), sentence]),
    );

    // Assess
    expect(documented).toEqual(Rejections);
  });

  it('decodes every registered code as Cognito delivers it (contract §1: Cognito adds a period)', () => {
    // Prepare
    const messages = Object.entries(Rejections).map(
      ([code, sentence]) => `PreSignUp failed with error ${code}: ${sentence}.`,
    );

    // Act
    const decoded = messages.map((message) => parseTriggerError(message));

    // Assess
    expect(decoded.map((info) => [info?.code, info?.message])).toEqual(Object.entries(Rejections));
    expect(decoded.every((info) => isRejectionCode(info?.code))).toBe(true);
  });

  it('knows no code outside the registry', () => {
    // Prepare
    const candidates = ['NOT_A_CODE', 'toString', '__proto__', 42];

    // Act
    const known = candidates.filter((candidate) => isRejectionCode(candidate));

    // Assess
    expect(known).toEqual([]);
  });
});

describe('Docs: pre sign-up rule order', () => {
  it('numbers the rules in docs/pre-sign-up.md in the order the trigger runs them', () => {
    // Prepare
    const rows = tableUnder(PRE_SIGN_UP_DOC, '## Rules');
    const ruleOwners = new Set(['core', 'observability']);

    // Act
    const documented = rows.map(([, rule = '']) => unquote(rule));

    // Assess
    expect(documented).toEqual(
      preSignUp.settings.map((declaration) => declaration.owner).filter((owner) => !ruleOwners.has(owner)),
    );
  });
});
