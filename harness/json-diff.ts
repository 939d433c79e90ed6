/**
 * A line diff of two JSON values, printed the way `diff -u` would mark lines, for replay mismatches.
 */

function linesOf(value: unknown): string[] {
  return (JSON.stringify(value, null, 2) ?? 'undefined').split('\n');
}

/**
 * `- expected` / `+ actual` lines around the changes, with `context` unchanged lines kept on each side.
 * Returns `''` when both print the same.
 */
export function diffJson(expected: unknown, actual: unknown, context = 3): string {
  const a = linesOf(expected);
  const b = linesOf(actual);
  // Longest common subsequence table; fixtures are small, so O(n·m) is fine.
  const table: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      const row = table[i] as number[];
      row[j] =
        a[i] === b[j]
          ? ((table[i + 1] as number[])[j + 1] ?? 0) + 1
          : Math.max((table[i + 1] as number[])[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: { mark: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ mark: ' ', text: a[i] as string });
      i += 1;
      j += 1;
    } else if (
      i < a.length &&
      (j >= b.length || ((table[i + 1] as number[])[j] ?? 0) >= ((table[i] as number[])[j + 1] ?? 0))
    ) {
      out.push({ mark: '-', text: a[i] as string });
      i += 1;
    } else {
      out.push({ mark: '+', text: b[j] as string });
      j += 1;
    }
  }
  if (out.every((line) => line.mark === ' ')) return '';
  const keep = out.map((_line, index) =>
    out.slice(Math.max(0, index - context), index + context + 1).some((near) => near.mark !== ' '),
  );
  const printed: string[] = [];
  out.forEach((line, index) => {
    if (keep[index]) printed.push(`${line.mark} ${line.text}`);
    else if (printed.at(-1) !== '  …') printed.push('  …');
  });
  return printed.join('\n');
}
