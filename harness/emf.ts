/**
 * Reads CloudWatch embedded metric format (EMF) documents out of a function's log lines and checks each
 * against the EMF specification's rules (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/
 * CloudWatch_Embedded_Metric_Format_Specification.html): the replay asserts one valid document per
 * invocation, and `npm start` counts what they say. Pure.
 */

/** One metric directive of a document. */
export type EmfDirective = {
  Namespace: string;
  Dimensions: string[][];
  Metrics: Array<{ Name: string; Unit?: string; StorageResolution?: number }>;
};

/** A document: `_aws` metadata plus root members (dimension values, metric values, properties). */
export type EmfDocument = {
  _aws: { Timestamp: number; CloudWatchMetrics: EmfDirective[] };
  [member: string]: unknown;
};

/** Whether a log line is an EMF document (a JSON object with an `_aws` member), whatever its validity. */
export function isEmfLine(line: string): boolean {
  if (!line.startsWith('{') || !line.includes('"_aws"')) return false;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && '_aws' in parsed;
  } catch {
    return false;
  }
}

const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with a parsed document under the specification: an empty list when it is valid. The rules:
 * `_aws.Timestamp` a whole number of epoch ms; at least one directive, each with a namespace (1–255
 * characters), dimension sets of at most 30 keys each naming a root member that is a string (of at most
 * 1,024 characters), and 1–100 metrics each naming a root member that is a number or an array of up to 100
 * numbers, with a known unit.
 */
export function emfProblems(document: unknown): string[] {
  if (!isObject(document)) return ['not a JSON object'];
  const aws = document._aws;
  if (!isObject(aws)) return ['no _aws object'];
  const problems: string[] = [];
  if (!Number.isSafeInteger(aws.Timestamp) || (aws.Timestamp as number) < 0)
    problems.push('_aws.Timestamp is not a whole number of epoch milliseconds');
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0)
    return [...problems, '_aws.CloudWatchMetrics is not a non-empty array'];
  for (const [index, directive] of directives.entries()) {
    const at = `CloudWatchMetrics[${index}]`;
    if (!isObject(directive)) {
      problems.push(`${at} is not an object`);
      continue;
    }
    const namespace = directive.Namespace;
    if (typeof namespace !== 'string' || namespace.length < 1 || namespace.length > 255)
      problems.push(`${at}.Namespace is not a string of 1-255 characters`);
    const sets = directive.Dimensions;
    if (!Array.isArray(sets)) problems.push(`${at}.Dimensions is not an array`);
    else {
      for (const set of sets) {
        if (!Array.isArray(set) || set.length > 30) {
          problems.push(`${at}.Dimensions holds a set that is not an array of at most 30 keys`);
          continue;
        }
        for (const key of set) {
          const value = typeof key === 'string' ? document[key] : undefined;
          if (typeof value !== 'string' || value.length === 0 || value.length > 1024)
            problems.push(`dimension ${String(key)} is not a root string of 1-1024 characters`);
        }
      }
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0 || metrics.length > 100) {
      problems.push(`${at}.Metrics is not an array of 1-100 metrics`);
      continue;
    }
    for (const metric of metrics) {
      if (!isObject(metric) || typeof metric.Name !== 'string' || metric.Name.length === 0) {
        problems.push(`${at}.Metrics holds a metric without a name`);
        continue;
      }
      if (metric.Unit !== undefined && !UNITS.has(metric.Unit as string))
        problems.push(`metric ${metric.Name} has the unknown unit ${String(metric.Unit)}`);
      const value = document[metric.Name];
      const numbers = Array.isArray(value) ? value : [value];
      if (numbers.length === 0 || numbers.length > 100 || !numbers.every((n) => Number.isFinite(n)))
        problems.push(`metric ${metric.Name} has no root number (or array of up to 100 numbers)`);
    }
  }
  return problems;
}

/** The EMF documents among log lines (lines that are not EMF are skipped). */
export function emfDocumentsOf(lines: readonly string[]): EmfDocument[] {
  return lines.filter(isEmfLine).map((line) => JSON.parse(line) as EmfDocument);
}

/** A document's metrics with their values (an array value summed), by name. */
export function emfMetricValues(document: EmfDocument): Record<string, number> {
  const values: Record<string, number> = {};
  for (const directive of document._aws.CloudWatchMetrics) {
    for (const { Name } of directive.Metrics) {
      const value = document[Name];
      values[Name] = Array.isArray(value)
        ? value.reduce((sum: number, n) => sum + Number(n), 0)
        : Number(value);
    }
  }
  return values;
}

/** One attempt as the replay saw it: how it ended and what it logged (harness/invocation.ts). */
export type LoggedAttempt =
  | { kind: 'returned'; logs: readonly string[] }
  | { kind: 'threw'; errorMessage: string; logs: readonly string[] }
  | { kind: 'timeout'; logs: readonly string[] };

const REFUSAL = /^([A-Z][A-Z0-9_]*): /;

/**
 * What is wrong with the metrics of one attempt of `trigger` in `namespace` (docs/metrics.md): an attempt that
 * answered wrote exactly one valid document, for its trigger, counting one invocation, and counting a refusal
 * (with its code) or a fault exactly when it threw one; a timed-out attempt wrote at most one (Lambda stops it
 * mid-way). An empty list when all is right.
 */
export function attemptMetricsProblems(trigger: string, namespace: string, attempt: LoggedAttempt): string[] {
  const documents = emfDocumentsOf(attempt.logs);
  if (attempt.kind === 'timeout') {
    return documents.length <= 1 ? [] : [`a timed-out attempt wrote ${documents.length} metrics documents`];
  }
  if (documents.length !== 1) return [`${documents.length} metrics documents, not 1`];
  const [document] = documents as [EmfDocument];
  const problems = emfProblems(document);
  const directive = document._aws.CloudWatchMetrics[0];
  if (directive?.Namespace !== namespace)
    problems.push(`namespace ${directive?.Namespace}, not ${namespace}`);
  if (document.trigger !== trigger) problems.push(`trigger ${String(document.trigger)}, not ${trigger}`);
  const values = emfMetricValues(document);
  const code = attempt.kind === 'threw' ? REFUSAL.exec(attempt.errorMessage)?.[1] : undefined;
  const refused = code !== undefined && code !== 'SIGNUP_UNAVAILABLE';
  const expected = {
    Invocations: 1,
    Rejections: refused ? 1 : 0,
    Faults: attempt.kind === 'threw' && !refused ? 1 : 0,
  };
  for (const [name, value] of Object.entries(expected)) {
    if (values[name] !== value) problems.push(`${name} ${values[name]}, not ${value}`);
  }
  if (refused && document.code !== code) problems.push(`code ${String(document.code)}, not ${code}`);
  return problems;
}
