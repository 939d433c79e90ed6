import { describe, expect, it } from 'vitest';
import { formatDelta, formatNumber, markdownTable } from '../../../bench/format.js';

describe('Bench: formatNumber', () => {
  it('rounds to fixed decimals with thousands separators', () => {
    // Prepare
    const value = 1234.567;

    // Act
    const text = formatNumber(value, 1);

    // Assess
    expect(text).toBe('1,234.6');
  });
});

describe('Bench: formatDelta', () => {
  it('gives a signed difference with its unit, then the ratio', () => {
    // Prepare
    const [value, reference] = [95.2, 70.1];

    // Act
    const text = formatDelta(value, reference, 'ms');

    // Assess
    expect(text).toBe('+25.1 ms (×1.36)');
  });

  it('gives a minus sign when the value is below the reference', () => {
    // Prepare
    const [value, reference] = [60, 80];

    // Act
    const text = formatDelta(value, reference, 'ms');

    // Assess
    expect(text).toBe('-20.0 ms (×0.75)');
  });

  it('shows a difference that rounds to zero as ±0, never as -0', () => {
    // Prepare
    const [value, reference] = [70.01, 70.04];

    // Act
    const text = formatDelta(value, reference, 'ms');

    // Assess
    expect(text).toBe('±0.0 ms (×1.00)');
  });

  it('leaves the ratio out when the reference is zero', () => {
    // Prepare
    const [value, reference] = [3, 0];

    // Act
    const text = formatDelta(value, reference, 'µs');

    // Assess
    expect(text).toBe('+3.0 µs');
  });
});

describe('Bench: markdownTable', () => {
  it('pads the columns and aligns the first left and the others right', () => {
    // Prepare
    const header = ['name', 'ms'];
    const rows = [
      ['node', '35.1'],
      ['bare handler', '7.0'],
    ];

    // Act
    const table = markdownTable(header, rows);

    // Assess
    expect(table.split('\n')).toEqual([
      '| name         |   ms |',
      '| :----------- | ---: |',
      '| node         | 35.1 |',
      '| bare handler |  7.0 |',
    ]);
  });

  it('escapes a pipe inside a cell so it stays one cell', () => {
    // Prepare
    const header = ['r'];
    const rows = [['a|b']];

    // Act
    const table = markdownTable(header, rows);

    // Assess
    expect(table.split('\n')[2]).toBe('| a\\|b |');
  });

  it('follows the alignment it is given', () => {
    // Prepare
    const header = ['n', 'result'];
    const rows = [['1', 'ok']];

    // Act
    const table = markdownTable(header, rows, ['right', 'left']);

    // Assess
    expect(table.split('\n').slice(1)).toEqual(['| --: | :----- |', '|   1 | ok     |']);
  });
});
