/**
 * `npm run attach -- --user-pool-id <id> --function <Trigger>=<arn>... [--kms-key-id <key arn>] [--replace]
 * [--dry-run] [--region r] [--endpoint-url u] [--state f]` (`--kms-key-id`: with a custom sender only)
 *
 * Attaches the toolkit's functions to an existing user pool, changing nothing else in it (attach/command.ts;
 * the planner is attach/plan.ts). Exit 0 done, 1 refused or failed, 2 usage error.
 */
import { ATTACH_USAGE, attachCommand } from '../attach/command.js';
import { describeError } from './describe-error.js';
import { runMain } from './run-main.js';

runMain(() => attachCommand(process.argv.slice(2)), {
  errorPrefix: 'attach: ',
  errorExitCode: 1,
  usage: ATTACH_USAGE,
  describeError,
});
