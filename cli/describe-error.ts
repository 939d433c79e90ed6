/**
 * An error as one line for an operator: its name and message, then each `cause` in turn, never a stack.
 */

/** How many causes {@link describeError} follows before it stops (a chain may loop). */
const MAX_CAUSES = 8;

/** `name: message` of one error, on one line; a thrown value that is not an Error by its `String`. */
function describeOne(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message === ''
        ? error.name
        : `${error.name}: ${error.message}`
      : typeof error === 'object' && error !== null
        ? JSON.stringify(error)
        : String(error);
  // Multi-line messages (an SDK's, esbuild's) would break the one line the CLIs print per message.
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * `Name: message; caused by Name: message; …` for an error and its `cause` chain, without stack traces. A
 * chain that loops, or is longer than a few links, ends with `…`.
 *
 * @example
 * describeError(new Error('replay failed', { cause: new TypeError('fetch failed') }));
 * // 'Error: replay failed; caused by TypeError: fetch failed'
 */
export function describeError(error: unknown): string {
  const parts = [describeOne(error)];
  const seen = new Set<unknown>([error]);
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined) {
    current = current.cause;
    if (seen.has(current) || parts.length > MAX_CAUSES) {
      parts.push('…');
      break;
    }
    seen.add(current);
    parts.push(`caused by ${describeOne(current)}`);
  }
  return parts.join('; ');
}

/** A logged error record (`{ name, message?, code?, cause? }`) as `Name: message (code); caused by …`. */
function describeRecord(record: Record<string, unknown>, depth: number): string {
  const message = typeof record.message === 'string' && record.message !== '' ? `: ${record.message}` : '';
  const code = typeof record.code === 'string' ? ` (${record.code})` : '';
  const cause = record.cause;
  const next =
    isRecord(cause) && typeof cause.name === 'string' && depth < MAX_CAUSES
      ? `; caused by ${describeRecord(cause, depth + 1)}`
      : '';
  return `${String(record.name)}${message}${code}${next}`.replace(/\s*\n\s*/g, ' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The errors a function logged, one line each, from its JSON log lines (Powertools' format): every line with
 * an `error` object naming a `name`, prefixed by the `action` or `rule` the line names. Stacks are left out;
 * lines that are not JSON are skipped; a repeated line is listed once. Across a process boundary this is
 * where the real cause of a generic error is: Lambda reports only the thrown error's name and message.
 *
 * @example
 * describeLoggedErrors(['{"level":"ERROR","action":"addToGroups","error":{"name":"GroupMembershipError","message":"…"}}']);
 * // ['addToGroups: GroupMembershipError: …']
 */
export function describeLoggedErrors(logs: readonly string[]): string[] {
  const found = new Set<string>();
  for (const line of logs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isRecord(parsed) || !isRecord(parsed.error) || typeof parsed.error.name !== 'string') continue;
    const where = typeof parsed.action === 'string' ? parsed.action : parsed.rule;
    found.add(`${typeof where === 'string' ? `${where}: ` : ''}${describeRecord(parsed.error, 0)}`);
  }
  return [...found];
}
