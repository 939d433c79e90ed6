/**
 * The fields of an answer the SDK dropped while parsing it. The AWS SDK for JavaScript v3 parses a response
 * against its own model and silently drops every member it does not know, at any depth (a new top-level field,
 * a new trigger inside `LambdaConfig`). Sending such a pool back would reset what was dropped, so the raw
 * answer is compared with the parsed one, and any difference stops the attach.
 */

/** `path.key`, or `path["odd key"]` for a key that is not a plain identifier. */
function childPath(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Dotted paths of the members of `raw` (the JSON the service sent) that `parsed` (what the SDK made of it)
 * does not have. A `null` member carries nothing and does not count.
 *
 * @example
 * fieldsDroppedByParser({ LambdaConfig: { PreSignUp: 'a', NewTrigger: 'b' } }, { LambdaConfig: { PreSignUp: 'a' } });
 * // ['LambdaConfig.NewTrigger']
 */
export function fieldsDroppedByParser(raw: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(raw)) {
    const items = Array.isArray(parsed) ? parsed : [];
    return raw.flatMap((item, index) => {
      if (index < items.length) return fieldsDroppedByParser(item, items[index], `${path}[${index}]`);
      return item === null ? [] : [`${path}[${index}]`];
    });
  }
  if (!isRecord(raw)) return [];
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    const child = childPath(path, key);
    if (!isRecord(parsed) || !Object.hasOwn(parsed, key) || parsed[key] === undefined) {
      dropped.push(child);
      continue;
    }
    dropped.push(...fieldsDroppedByParser(value, parsed[key], child));
  }
  return dropped;
}
