/**
 * The properties of the `Custom::CognitoTriggerAttachment` resource (template.yaml, `TriggerAttachment`):
 *
 * ```yaml
 * UserPoolId: us-east-1_AbC123                  # the pool to attach to (ExistingUserPoolId)
 * Functions:                                     # our function ARNs, keyed by trigger
 *   PreSignUp: !GetAtt PreSignUpFunction.Arn
 * ReplaceExistingTriggers: "false"              # replace a slot that holds another function
 * KMSKeyID: !GetAtt CodeKey.Arn                 # the senders' key ARN: only, and required, with a sender
 * ```
 *
 * CloudFormation hands every scalar over as a string, so `"true"` / `"false"` are the booleans; an unknown
 * property is refused rather than ignored, so a misspelt one never silently changes nothing.
 */
import { AttachError } from '../errors.js';
import { checkKmsKeyFor, checkTriggerFunctions, type TriggerFunctions } from '../trigger-slots.js';
import { parseUserPoolId } from '../user-pool-id.js';

/** The checked properties. */
export type AttachmentProperties = {
  userPoolId: string;
  /** At least one. */
  functions: TriggerFunctions;
  replace: boolean;
  /** The custom senders' key ARN (`KMSKeyID`), given exactly when `functions` names a sender. */
  kmsKeyId?: string;
};

/** Properties that are missing, misspelt or malformed. */
export class ResourcePropertiesError extends AttachError {
  public constructor(problem: string, options?: ErrorOptions) {
    super(`TriggerAttachment properties: ${problem} (nothing was changed)`, options);
    this.name = 'ResourcePropertiesError';
  }
}

// ServiceToken and ServiceTimeout are CloudFormation's own.
const KNOWN = new Set([
  'ServiceToken',
  'ServiceTimeout',
  'UserPoolId',
  'Functions',
  'ReplaceExistingTriggers',
  'KMSKeyID',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function booleanOf(value: unknown): boolean {
  if (value === undefined || value === 'false' || value === false) return false;
  if (value === 'true' || value === true) return true;
  throw new ResourcePropertiesError(
    `ReplaceExistingTriggers must be "true" or "false", not ${JSON.stringify(value)}`,
  );
}

/**
 * `properties` checked.
 * @throws ResourcePropertiesError naming the property.
 */
export function parseAttachmentProperties(
  properties: Readonly<Record<string, unknown>>,
): AttachmentProperties {
  const unknown = Object.keys(properties).filter((name) => !KNOWN.has(name));
  if (unknown.length > 0) {
    throw new ResourcePropertiesError(
      `unknown ${unknown.join(', ')} (known: UserPoolId, Functions, ReplaceExistingTriggers, KMSKeyID)`,
    );
  }
  const { UserPoolId: userPoolId, Functions: functions } = properties;
  if (typeof userPoolId !== 'string') throw new ResourcePropertiesError('UserPoolId must be a string');
  if (!isRecord(functions)) {
    throw new ResourcePropertiesError('Functions must map trigger names to function ARNs');
  }
  try {
    parseUserPoolId(userPoolId);
    const checked = checkTriggerFunctions(functions);
    if (Object.keys(checked).length === 0) throw new ResourcePropertiesError('Functions is empty');
    const kmsKeyId = checkKmsKeyFor(checked, properties.KMSKeyID);
    return {
      userPoolId,
      functions: checked,
      replace: booleanOf(properties.ReplaceExistingTriggers),
      ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    };
  } catch (error) {
    if (error instanceof ResourcePropertiesError || !(error instanceof AttachError)) throw error;
    throw new ResourcePropertiesError(error.message, { cause: error });
  }
}
