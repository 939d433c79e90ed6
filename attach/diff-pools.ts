/**
 * The difference between two `DescribeUserPool` answers, one line per changed leaf:
 *
 * ```
 * - LambdaConfig.PreSignUp = "arn:aws:lambda:us-east-1:123456789012:function:theirs"
 * + LambdaConfig.PreSignUp = "arn:aws:lambda:us-east-1:123456789012:function:ours"
 * + LambdaConfig.PostConfirmation = "arn:aws:lambda:us-east-1:123456789012:function:ours-2"
 * ```
 *
 * Lines are sorted by path (array indexes by number), so the same two pools give the same lines whatever the
 * order of their keys. Fields that change on their own (`LastModifiedDate`, `EstimatedNumberOfUsers`, the
 * configuration failure statuses) are skipped, and an empty object reads as an absent one.
 */
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { isVolatileField } from './pool-fields.js';

/** One changed leaf: its path and its JSON value on each side (`undefined`: absent). */
export type PoolDifference = { path: string; before: string | undefined; after: string | undefined };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function childPath(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * Every leaf of `value` as path -> JSON text. An empty array is a leaf (`[]`); an empty object has no leaf, so
 * it reads as absent: `LambdaConfig: {}` and no `LambdaConfig` both mean "no triggers".
 */
function flatten(value: unknown, path: string, leaves: Map<string, string>): void {
  if (value === undefined) return;
  if (value instanceof Date) {
    leaves.set(path, JSON.stringify(Number.isNaN(value.getTime()) ? String(value) : value.toISOString()));
  } else if (Array.isArray(value)) {
    if (value.length === 0) leaves.set(path, '[]');
    value.forEach((item, index) => {
      flatten(item, `${path}[${index}]`, leaves);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) flatten(item, childPath(path, key), leaves);
  } else {
    leaves.set(path, JSON.stringify(value) ?? String(value));
  }
}

function leavesOf(pool: UserPoolType): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [field, value] of Object.entries(pool)) {
    if (!isVolatileField(field)) flatten(value, childPath('', field), leaves);
  }
  return leaves;
}

/** A sort key that orders `[10]` after `[9]`. */
function sortKey(path: string): string {
  return path.replace(/\[(\d+)\]/g, (_match, index: string) => `[${index.padStart(12, '0')}]`);
}

/**
 * The leaves that differ between `before` and `after`, sorted by path.
 *
 * @example
 * poolDifferences({ LambdaConfig: {} }, { LambdaConfig: { PreSignUp: 'arn:…' } });
 * // [{ path: 'LambdaConfig.PreSignUp', before: undefined, after: '"arn:…"' }]
 */
export function poolDifferences(before: UserPoolType, after: UserPoolType): PoolDifference[] {
  const left = leavesOf(before);
  const right = leavesOf(after);
  const paths = [...new Set([...left.keys(), ...right.keys()])]
    .map((path) => ({ path, key: sortKey(path) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const differences: PoolDifference[] = [];
  for (const { path } of paths) {
    const was = left.get(path);
    const is = right.get(path);
    if (was !== is) differences.push({ path, before: was, after: is });
  }
  return differences;
}

/** {@link PoolDifference}s as diff lines: `- path = old` then `+ path = new`. */
export function diffLines(differences: readonly PoolDifference[]): string[] {
  return differences.flatMap(({ path, before, after }) => [
    ...(before === undefined ? [] : [`- ${path} = ${before}`]),
    ...(after === undefined ? [] : [`+ ${path} = ${after}`]),
  ]);
}

/**
 * A readable, stable, line-based diff of two `DescribeUserPool` answers (no lines: no difference).
 *
 * @example
 * console.log(diffPools(before, poolAfter(before, plan.changes)).join('\n'));
 */
export function diffPools(before: UserPoolType, after: UserPoolType): string[] {
  return diffLines(poolDifferences(before, after));
}
