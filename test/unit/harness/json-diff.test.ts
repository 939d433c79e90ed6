import { describe, expect, it } from 'vitest';
import { diffJson } from '../../../harness/json-diff.js';

describe('Harness: diffJson', () => {
  it('returns an empty string for equal values', () => {
    // Prepare
    const value = { a: 1, b: [1, 2] };

    // Act
    const diff = diffJson(value, structuredClone(value));

    // Assess
    expect(diff).toBe('');
  });

  it('marks removed lines with - and added lines with +', () => {
    // Prepare
    const expected = { outcome: 'success', attempts: 1 };
    const actual = { outcome: 'error', attempts: 1 };

    // Act
    const diff = diffJson(expected, actual);

    // Assess
    expect(diff.split('\n')).toEqual([
      '  {',
      '-   "outcome": "success",',
      '+   "outcome": "error",',
      '    "attempts": 1',
      '  }',
    ]);
  });

  it('elides unchanged lines far from any change', () => {
    // Prepare
    const expected = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const actual = { ...expected, k19: 'changed' };

    // Act
    const diff = diffJson(expected, actual, 1);

    // Assess
    expect(diff.split('\n')).toEqual([
      '  …',
      '    "k18": 18,',
      '-   "k19": 19',
      '+   "k19": "changed"',
      '  }',
    ]);
  });
});
