/**
 * Each function bundles only what its trigger runs: a sign-up function carries none of the custom senders'
 * modules (their source tables, delivery, the Encryption SDK, the compiled notifications), and a sender none of
 * the sign-up rules. Read
 * from the esbuild metafiles the global setup's build wrote beside each bundle (dist/<LogicalId>/meta.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../harness/paths.js';

/** Every source file the function's bundle holds, relative to the repository. */
function bundledInputsOf(logicalId: string): string[] {
  const metafile = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'dist', logicalId, 'meta.json'), 'utf8'),
  ) as Metafile;
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

const senderModules =
  /^(shared\/custom-sender\/|triggers\/custom-sender\/|node_modules\/@aws-crypto\/|triggers\/custom-message\/templates\/compiled-notifications\.ts$)/;
const signUpModules = /^triggers\/(pre-sign-up|post-confirmation)\//;

describe('Build: what each function bundles', () => {
  it.each(['PreSignUpFunction', 'CustomMessageFunction', 'PostConfirmationFunction'])(
    '%s holds no custom sender module',
    (logicalId) => {
      // Prepare (the global setup built dist/)

      // Act
      const inputs = bundledInputsOf(logicalId);

      // Assess
      expect(inputs).toContain('shared/handler-core.ts');
      expect(inputs.filter((path) => senderModules.test(path))).toEqual([]);
    },
  );

  it.each(['CustomEmailSenderFunction', 'CustomSmsSenderFunction'])(
    '%s holds no pre sign-up or post confirmation module',
    (logicalId) => {
      // Prepare (the global setup built dist/)

      // Act
      const inputs = bundledInputsOf(logicalId);

      // Assess
      expect(inputs).toContain('triggers/custom-sender/rules/send-message.ts');
      expect(inputs.filter((path) => signUpModules.test(path))).toEqual([]);
    },
  );
});
