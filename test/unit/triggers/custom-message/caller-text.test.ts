import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callerText } from '../../../../triggers/custom-message/caller-text.js';
import { injectionText } from '../../../support/arbitraries.js';

describe('Rule: callerText', () => {
  it.each([
    ['a plain name', 'Jane', 'Jane'],
    ['a hyphen and a typographic apostrophe', 'Ann-Marie O\u2019Neil', 'Ann-Marie O\u2019Neil'],
    ['a suffix with a full stop', 'Martin Luther King Jr.', 'Martin Luther King Jr.'],
    ['initials with spaces', 'J. R. R. Tolkien', 'J. R. R. Tolkien'],
    ['a Catalan middle dot', 'Gal\u00B7la', 'Gal\u00B7la'],
    [
      'a Japanese name with a katakana middle dot',
      '\u30A2\u30F3\u30FB\u30EA\u30FC',
      '\u30A2\u30F3\u30FB\u30EA\u30FC',
    ],
    ['an Arabic name', '\u0645\u062D\u0645\u062F', '\u0645\u062D\u0645\u062F'],
    ['a name with combining marks', 'Zo\u0308e', 'Zo\u0308e'],
    ['a nickname with a few digits', 'neo 1999', 'neo 1999'],
    ['a user name with an underscore', 'jane_doe', 'jane_doe'],
    ['surrounding and repeated spaces', '  Ann \u00A0 Lee ', 'Ann Lee'],
  ])('shows %s', (_case, value, shown) => {
    // Prepare
    const maxLength = 64;

    // Act
    const result = callerText(value, maxLength);

    // Assess
    expect(result).toEqual({ text: shown });
  });

  it.each([
    ['the code placeholder inside a link', 'see https://evil.example/v?c={####}'],
    ['the code placeholder alone', '{####}'],
    ['the user name placeholder', '{username}'],
    ['a link placeholder', '{##Click Here##}'],
    ['a placeholder split by zero-width characters', '{\u200B####\u200D}'],
    ['fullwidth braces', '\uFF5B####\uFF5D'],
    ['small braces', '\uFE5B####\uFE5C'],
    ['a bare host', 'Click www.evil.example now'],
    ['a host without www', 'Jane evil.example'],
    ['a host with an ideographic full stop', 'evil\u3002example'],
    ['a host with a fullwidth full stop', 'evil\uFF0Eexample'],
    ['an e-mail address', 'jane@evil.example'],
    ['a scheme', 'javascript:alert(1)'],
    ['markup', '<a href="x">Jane</a>'],
    ['a phone number', 'call 555 0100 1234'],
    ['initials without spaces, which read as a host', 'J.R.R. Tolkien'],
  ])('withholds %s', (_case, value) => {
    // Prepare
    const maxLength = 64;

    // Act
    const result = callerText(value, maxLength);

    // Assess
    expect(result).toEqual({ text: '', withheld: 'not-a-name' });
  });

  it('gives an empty text, not a withheld one, for a blank value', () => {
    // Prepare
    const value = ' \u200B\t ';

    // Act
    const result = callerText(value, 64);

    // Assess
    expect(result).toEqual({ text: '' });
  });

  it('cuts a long name with an ellipsis and still shows it', () => {
    // Prepare
    const value = 'Ann '.repeat(40);

    // Act
    const result = callerText(value, 10);

    // Assess
    expect(result).toEqual({ text: 'Ann Ann A\u2026' });
  });

  it('never shows a brace, a #, URL punctuation, a word-joining full stop or more than four digits', () => {
    fc.assert(
      fc.property(injectionText(), fc.integer({ min: 1, max: 100 }), (value, maxLength) => {
        // Act
        const { text } = callerText(value, maxLength);

        // Assess
        expect(text).not.toMatch(/[{}#/\\:@<>&%=?\uFE37\uFE38\uFE5B\uFE5C\uFF5B\uFF5D\u3002\uFF0E\uFF61]/u);
        expect(text).not.toMatch(/\.(?! |\u2026|$)/u);
        expect(text.match(/\p{N}/gu)?.length ?? 0).toBeLessThanOrEqual(4);
        expect(Array.from(text).length).toBeLessThanOrEqual(maxLength);
      }),
      { numRuns: 2000 },
    );
  });
});
