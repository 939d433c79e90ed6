/**
 * Copies of `template.yaml` in its other mode, for the tests that check every tool works in both: the same
 * template with `ExistingUserPoolId` defaulting to a pool id, which attaches the triggers to that pool instead
 * of creating one (what `sam deploy --parameter-overrides ExistingUserPoolId=…` deploys).
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TEMPLATE_PATH } from '../../../harness/template.js';

/** A pool id in the shape Cognito gives them (`<region>_<alphanumerics>`), obviously fake. */
export const EXAMPLE_POOL_ID = 'us-east-1_EXAMPLE1234';

/** The ARN of {@link EXAMPLE_POOL_ID} with the pseudo parameters `sam local` substitutes. */
export const EXAMPLE_POOL_ARN = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${EXAMPLE_POOL_ID}`;

// What the functions' entry points are resolved against: linked, so a copy elsewhere builds the same sources.
const SOURCE_FOLDERS = ['triggers', 'shared'];

/**
 * `text` with the parameters' defaults replaced by `defaults` (`{ AttachTriggers: 'false' }`), every other
 * line as it is.
 * @throws Error when the template does not declare one of them with a `Default`.
 */
export function withParameterDefaults(text: string, defaults: Readonly<Record<string, string>>): string {
  let changed = text;
  for (const [name, value] of Object.entries(defaults)) {
    const parameter = new RegExp(`(\\n {2}${name}:\\n(?: {4}.*\\n)*? {4}Default: )(?:"[^"]*"|\\S*)`);
    if (!parameter.test(changed)) {
      throw new Error(`${DEFAULT_TEMPLATE_PATH} declares no ${name} parameter with a Default`);
    }
    changed = changed.replace(parameter, `$1${JSON.stringify(value)}`);
  }
  return changed;
}

/**
 * `template.yaml`'s text with `ExistingUserPoolId` defaulting to `poolId` (and any `other` defaults): the
 * template in existing-pool mode, every other line as it is.
 * @throws Error when the template no longer declares the parameters.
 */
export function existingPoolTemplateText(
  poolId: string = EXAMPLE_POOL_ID,
  other: Readonly<Record<string, string>> = {},
): string {
  return withParameterDefaults(readFileSync(DEFAULT_TEMPLATE_PATH, 'utf8'), {
    ExistingUserPoolId: poolId,
    ...other,
  });
}

/**
 * Writes the existing-pool template into `folder` (created if needed), beside links to the source folders its
 * functions are built from, so build, invoke and replay run on it as on `template.yaml` (bundles go to
 * `<folder>/dist`). Returns the template's path.
 */
export function writeExistingPoolTemplate(folder: string, poolId: string = EXAMPLE_POOL_ID): string {
  mkdirSync(folder, { recursive: true });
  const root = join(DEFAULT_TEMPLATE_PATH, '..');
  for (const source of SOURCE_FOLDERS) symlinkSync(join(root, source), join(folder, source), 'dir');
  const path = join(folder, 'template.yaml');
  writeFileSync(path, existingPoolTemplateText(poolId));
  return path;
}

/** A SAM template whose only function names no Cognito trigger: nothing for the tools to find. */
export const NO_TRIGGER_TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: handler.handler
      CodeUri: ./
    Metadata:
      BuildMethod: esbuild
`;
