/**
 * `npm run build -- [LogicalId ...]`
 *
 * Bundles the trigger functions of `template.yaml` with the esbuild options `sam build` would use, into
 * `dist/<LogicalId>/`, and prints one line per function with its bundle size. Exit 1 on failure.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFunctions, formatBytes } from '../harness/build-functions.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm run build -- [LogicalId ...]

Bundles each trigger function of template.yaml (default: all) into dist/<LogicalId>/, with the esbuild
options its Metadata.BuildProperties give \`sam build\`.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const built = await buildFunctions(positionals.length === 0 ? {} : { functions: positionals });
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

runMain(main, { errorPrefix: 'build failed: ', errorExitCode: 1 });
