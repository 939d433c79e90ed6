/**
 * The service model's limits on what a call carries (contract §5, "Other limits from the model" and
 * "ValidationData"), checked before anything runs, as Cognito's API layer does: a user name over 128
 * characters, a password over 256, an attribute or ValidationData name over 32 or value over 2,048, … is
 * refused with `InvalidParameterException` and the model's validation message, and no trigger runs.
 * cognito-local checked none of them, so a 33-character ValidationData name reached pre sign-up.
 *
 * The constraints are the model's (botocore `cognito-idp/2016-04-18/service-2.json`) [M]: lengths, and
 * patterns read as Java reads them (`\s` and `\S` are ASCII-only there). The message follows the AWS JSON
 * protocol's validation text: `1 validation error detected: Value at 'password' failed to satisfy
 * constraint: Member must have length less than or equal to 256`; a sensitive member's value is left out, as
 * AWS leaves it out; several problems are counted and joined with `; `.
 */
import type { Json } from './internals.js';

/** A string shape of the model. */
type StringShape = {
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
  sensitive?: boolean;
};

// Java's `[\S]+`: anything but ASCII whitespace.
const NO_ASCII_SPACE = { pattern: /^[^ \t\n\v\f\r]+$/u, patternText: '[\\S]+' };

const USERNAME: StringShape = {
  min: 1,
  max: 128,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
  sensitive: true,
};
const PASSWORD: StringShape = { max: 256, ...NO_ASCII_SPACE, sensitive: true };
const CONFIRMATION_CODE: StringShape = { min: 1, max: 2048, ...NO_ASCII_SPACE };
const SECRET_HASH: StringShape = {
  min: 1,
  max: 128,
  pattern: /^[\w+=/]+$/u,
  patternText: '[\\w+=/]+',
  sensitive: true,
};
const ATTRIBUTE_NAME: StringShape = {
  min: 1,
  max: 32,
  pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+$/u,
  patternText: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+',
};
const ATTRIBUTE_VALUE: StringShape = { max: 2048, sensitive: true };
const CLIENT_METADATA_TEXT: StringShape = { min: 0, max: 131_072 };

/** The members checked, by request member name; the rest is left to cognito-local. */
const STRING_MEMBERS: Readonly<Record<string, StringShape>> = {
  Username: USERNAME,
  Password: PASSWORD,
  TemporaryPassword: PASSWORD,
  ProposedPassword: PASSWORD,
  ConfirmationCode: CONFIRMATION_CODE,
  SecretHash: SECRET_HASH,
};
const ATTRIBUTE_LISTS: readonly string[] = ['UserAttributes', 'ValidationData'];

/** `Username` -> `username`, as the model's member names appear in validation messages. */
function memberPath(name: string): string {
  return `${name.slice(0, 1).toLowerCase()}${name.slice(1)}`;
}

function problemsOf(value: unknown, path: string, shape: StringShape): string[] {
  if (typeof value !== 'string') return [];
  const shown = shape.sensitive === true ? `Value at '${path}'` : `Value '${value}' at '${path}'`;
  const problem = (constraint: string) => `${shown} failed to satisfy constraint: Member must ${constraint}`;
  const length = [...value].length;
  const problems: string[] = [];
  if (shape.min !== undefined && length < shape.min) {
    problems.push(problem(`have length greater than or equal to ${shape.min}`));
  }
  if (shape.max !== undefined && length > shape.max) {
    problems.push(problem(`have length less than or equal to ${shape.max}`));
  }
  if (shape.pattern !== undefined && length > 0 && !shape.pattern.test(value)) {
    problems.push(problem(`satisfy regular expression pattern: ${shape.patternText}`));
  }
  return problems;
}

/**
 * The model's validation problems of a request body, in AWS's wording; empty when it is within the limits.
 *
 * @example
 * requestLimitProblems({ Username: 'u', Password: 'x'.repeat(257) });
 * // ["Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256"]
 */
export function requestLimitProblems(body: Json): string[] {
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(STRING_MEMBERS)) {
    problems.push(...problemsOf(body[name], memberPath(name), shape));
  }
  for (const list of ATTRIBUTE_LISTS) {
    const entries = body[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, index) => {
      if (typeof entry !== 'object' || entry === null) return;
      const { Name, Value } = entry as { Name?: unknown; Value?: unknown };
      const at = `${memberPath(list)}.${index + 1}.member`;
      problems.push(
        ...problemsOf(Name, `${at}.name`, ATTRIBUTE_NAME),
        ...problemsOf(Value, `${at}.value`, ATTRIBUTE_VALUE),
      );
    });
  }
  const metadata = body.ClientMetadata;
  if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)) {
    for (const [key, value] of Object.entries(metadata)) {
      problems.push(
        ...problemsOf(key, 'clientMetadata', CLIENT_METADATA_TEXT),
        ...problemsOf(value, 'clientMetadata', CLIENT_METADATA_TEXT),
      );
    }
  }
  return problems;
}

/** The `InvalidParameterException` message for `problems` (AWS's count and `; `-joined list). */
export function validationMessageOf(problems: readonly string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}

/**
 * The correction: throws cognito-local's `InvalidParameterError` with the model's message when the body
 * breaks a limit.
 *
 * @example
 * const checkLimits = enforceRequestLimits({ InvalidParameterError });
 * checkLimits(body);
 */
export function enforceRequestLimits(errors: { InvalidParameterError: new (message?: string) => Error }) {
  return function checkLimits(body: Json): void {
    const problems = requestLimitProblems(body);
    if (problems.length > 0) throw new errors.InvalidParameterError(validationMessageOf(problems));
  };
}
