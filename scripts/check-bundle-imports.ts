/**
 * `npm run build` runs this after the build (`postbuild`). Exit 1 when a function's bundle loads a module the
 * Lambda runtime does not provide: `aws-sdk` v2, or anything outside Node.js and `@aws-sdk/*`
 * (harness/bundle-imports.ts). It reads what `npm run build` wrote to dist/, and bundles the template's other
 * esbuild functions (TriggerAttachFunction) in memory.
 */
import { relative } from 'node:path';
import { parseCommandLine } from '../cli/command-line.js';
import { runMain } from '../cli/run-main.js';
import { checkTemplateBundles } from '../harness/bundle-imports.js';
import { DEFAULT_TEMPLATE_PATH } from '../harness/template.js';

const USAGE = `Usage: tsx scripts/check-bundle-imports.ts [options]   (npm run build runs it)

Fails when a bundle of the template's functions loads a module the Lambda runtime does not provide: the AWS
SDK v2 (aws-sdk), or anything marked external that is neither a Node.js built-in nor @aws-sdk/*.

Options:
  -t, --template <file>   the SAM template (default: template.yaml at the repository root); the trigger
                          functions are read from dist/ beside it
  -h, --help              show this help`;

async function main(): Promise<number> {
  const { values } = parseCommandLine({ options: { template: { type: 'string', short: 't' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const results = await checkTemplateBundles({ templatePath: values.template ?? DEFAULT_TEMPLATE_PATH });
  const refused = results.flatMap((result) =>
    result.refused.map(({ module, reason }) => `${result.logicalId} loads ${module}: ${reason}`),
  );
  for (const line of refused) console.error(`bundle imports: ${line}`);
  const notBuilt = results
    .filter((result) => result.source === 'not built')
    .map((result) => result.logicalId);
  if (notBuilt.length > 0) console.warn(`bundle imports: not built yet, not checked: ${notBuilt.join(', ')}`);
  if (refused.length > 0) return 1;
  const checked = results.filter((result) => result.source !== 'not built').map((result) => result.logicalId);
  if (checked.length === 0) {
    console.warn('bundle imports: no built function to check');
    return 0;
  }
  const template = relative(process.cwd(), values.template ?? DEFAULT_TEMPLATE_PATH);
  console.log(
    `bundle imports: ${checked.join(', ')} (${template}) load only Node.js built-ins and @aws-sdk/*`,
  );
  return 0;
}

runMain(main, { errorPrefix: 'bundle imports: ', errorExitCode: 1, usage: USAGE });
