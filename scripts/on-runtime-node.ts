/**
 * `node --import tsx scripts/on-runtime-node.ts <script> [args…]`: runs a Node script on the Lambda runtime's
 * Node (harness/runtime-node.ts), as `npm test` runs vitest: the tests measured faster on it than on Node 20
 * (docs/benchmarks.md, "Runtime Node"), and the sources they import run on the Node Lambda runs. Where that
 * Node is missing, the script runs on this Node after a one-line notice (the bundle suites then say SKIPPED;
 * in CI they fail). Exits as the script does (128 + the signal's number when a signal ended it).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { RUNTIME_NODE, runtimeNode } from '../harness/runtime-node.js';

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('Usage: node --import tsx scripts/on-runtime-node.ts <script> [args…]');
  process.exit(2);
}

const found = runtimeNode();
if (!found.available) {
  console.warn(
    `notice: ${args[0]} runs on Node ${process.version}, not on Node ${RUNTIME_NODE.major} as in Lambda: ${found.reason}`,
  );
}
const child = spawn(found.available ? found.path : process.execPath, args, { stdio: 'inherit' });
// Ctrl-C reaches the script from the terminal itself (one process group): wait for it to stop. A SIGTERM is
// sent to this process alone: pass it on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
});
child.on('error', (error) => {
  console.error(`on-runtime-node: ${error.message}`);
  process.exitCode = 1;
});
