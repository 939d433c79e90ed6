/**
 * Number and table formatting for the benchmark report. Pure.
 */

/** `1234.567, 1` -> `1,234.6`: fixed decimals with thousands separators. */
export function formatNumber(value: number, decimals = 1): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * A value against a reference: the difference with its sign and unit, then the ratio.
 * `formatDelta(95.2, 70.1, 'ms')` -> `+25.1 ms (×1.36)`. A reference of 0 or less gives no ratio.
 */
export function formatDelta(value: number, reference: number, unit: string, decimals = 1): string {
  const difference = value - reference;
  // Round first so a tiny negative difference does not print as "-0.0".
  const rounded = Number(difference.toFixed(decimals));
  const sign = rounded > 0 ? '+' : rounded < 0 ? '-' : '±';
  const text = `${sign}${formatNumber(Math.abs(rounded), decimals)}${unit === '' ? '' : ` ${unit}`}`;
  return reference > 0 ? `${text} (×${formatNumber(value / reference, 2)})` : text;
}

/** How a column lines up. */
export type Align = 'left' | 'right';

function escapeCell(cell: string): string {
  return cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * A GitHub-flavoured markdown table, columns padded so the source reads as a table too (and Biome's
 * markdown formatter leaves it as it is).
 * `align` defaults to left for the first column and right for the others (numbers).
 */
export function markdownTable(header: readonly string[], rows: readonly string[][], align?: Align[]): string {
  const alignOf = (column: number): Align => align?.[column] ?? (column === 0 ? 'left' : 'right');
  const cells = [header, ...rows].map((row) => header.map((_, column) => escapeCell(row[column] ?? '')));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    `| ${row
      .map((cell, column) =>
        alignOf(column) === 'left' ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join(' | ')} |`;
  // The delimiter row as Biome formats markdown: `| :--- | ---: |`, as wide as the column.
  const rule = line(
    widths.map((width, column) =>
      alignOf(column) === 'left' ? `:${'-'.repeat(width - 1)}` : `${'-'.repeat(width - 1)}:`,
    ),
  );
  const [head = [], ...body] = cells;
  return [line(head), rule, ...body.map(line)].join('\n');
}
