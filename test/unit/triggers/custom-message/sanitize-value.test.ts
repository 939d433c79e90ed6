import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDisallowedCharacter } from '../../../../shared/message-rules.js';
import { escapeHtml, sanitizeUserValue } from '../../../../triggers/custom-message/sanitize-value.js';
import { hostileText } from '../../../support/arbitraries.js';

describe('Rule: sanitizeUserValue', () => {
  it.each([
    ['a non-breaking space', 'Ann\u00a0Lee', 'Ann Lee'],
    ['a narrow no-break space', 'A\u202fB', 'A B'],
    ['a line separator and a line break', 'A\u2028B\nC', 'A B C'],
    ['control characters', 'A\u0000\u0007\u001bB', 'AB'],
    ['bidirectional overrides and zero-width characters', '\u202eA\u200bB\ufeff', 'AB'],
    ['a lone surrogate', 'A\ud800B', 'AB'],
    ['runs of spaces and outer blanks', '  A    B  ', 'A B'],
  ])('handles %s', (_label, value, expected) => {
    // Prepare
    const limit = 64;

    // Act
    const cleaned = sanitizeUserValue(value, limit);

    // Assess
    expect(cleaned).toBe(expected);
  });

  it('keeps right-to-left letters, marks and emoji', () => {
    // Prepare
    const value = 'مريم 👩🏽 e\u0301';

    // Act
    const cleaned = sanitizeUserValue(value, 64);

    // Assess
    expect(cleaned).toBe(value);
  });

  it('cuts a long value to the limit in code points, ending with an ellipsis', () => {
    // Prepare
    const value = '😀'.repeat(100);

    // Act
    const cleaned = sanitizeUserValue(value, 10);

    // Assess
    expect(Array.from(cleaned)).toEqual([...Array.from('😀'.repeat(9)), '\u2026']);
  });

  it('returns only characters Cognito accepts in a subject, within the limit, for any input', () => {
    fc.assert(
      fc.property(hostileText(), fc.integer({ min: 1, max: 200 }), (value, limit) => {
        // Prepare: any hostile value and limit

        // Act
        const cleaned = sanitizeUserValue(value, limit);

        // Assess
        expect(firstDisallowedCharacter(cleaned, 'subject')).toBeUndefined();
        expect(Array.from(cleaned).length).toBeLessThanOrEqual(limit);
      }),
    );
  });
});

describe('Rule: escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    // Prepare
    const text = `<a href="x" title='y'>&</a>`;

    // Act
    const escaped = escapeHtml(text);

    // Assess
    expect(escaped).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
