/**
 * `npm run build -- [LogicalId ...] [--template <file>]`
 *
 * Bundles the trigger functions of `template.yaml` with the esbuild options `sam build` would use, into
 * `dist/<LogicalId>/`, and prints one line per function with its bundle size. Exit 1 on failure, a template
 * with no trigger function to build included; exit 2 for a wrong command line.
 */
import { relative } from 'node:path';
import { buildFunctions, formatBytes } from '../harness/build-functions.js';
import { DEFAULT_TEMPLATE_PATH, loadTemplate, NO_TRIGGER_FUNCTION } from '../harness/template.js';
import { parseCommandLine } from './command-line.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm run build -- [LogicalId ...] [options]

Bundles each trigger function of template.yaml (default: all) into dist/<LogicalId>/, with the esbuild
options its Metadata.BuildProperties give \`sam build\`.

Options:
  -t, --template <file>   the SAM template (default: template.yaml at the repository root); the bundles go
                          to dist/ beside it
  -h, --help              show this help`;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    options: { template: { type: 'string', short: 't' } },
    positionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const templatePath = values.template ?? DEFAULT_TEMPLATE_PATH;
  // A template without one (no function names its trigger, a wrong file) would otherwise "build" nothing,
  // exit 0. Which functions are trigger functions does not depend on the template's mode (its own pool or
  // an existing one): each names its trigger in Metadata.CognitoTrigger.
  const template = loadTemplate(templatePath);
  if (template.functions.length === 0) {
    const shown = relative(process.cwd(), template.path);
    throw new Error(
      `${shown.startsWith('..') ? template.path : shown} has no function to build: ${NO_TRIGGER_FUNCTION}`,
    );
  }
  const built = await buildFunctions({
    templatePath,
    ...(positionals.length === 0 ? {} : { functions: positionals }),
  });
  const width = Math.max(...built.map((result) => result.logicalId.length));
  for (const result of built) {
    const size = `${formatBytes(result.bytes)} (${result.bytes} B)`;
    const gzip = `gzip ${formatBytes(result.gzipBytes)} (${result.gzipBytes} B)`;
    const path = relative(process.cwd(), result.bundlePath);
    console.log(`${result.logicalId.padEnd(width)}  ${size.padEnd(22)}  ${gzip.padEnd(27)}  ${path}`);
    for (const warning of result.warnings) console.warn(`  warning: ${warning}`);
  }
  return 0;
}

runMain(main, { errorPrefix: 'build failed: ', errorExitCode: 1, usage: USAGE });
