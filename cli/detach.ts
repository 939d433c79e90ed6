/**
 * `npm run detach -- --user-pool-id <id> (--function <Trigger>=<arn>... | --state f) [--restore <Trigger>=<arn>]
 * [--kms-key-id <key arn>] [--dry-run] [--region r] [--endpoint-url u]`
 *
 * Detaches the toolkit's functions from a user pool, putting back what attach replaced and changing nothing
 * else (attach/command.ts; the planner is attach/plan.ts). Exit 0 done, 1 failed, 2 usage error.
 */
import { DETACH_USAGE, detachCommand } from '../attach/command.js';
import { describeError } from './describe-error.js';
import { runMain } from './run-main.js';

runMain(() => detachCommand(process.argv.slice(2)), {
  errorPrefix: 'detach: ',
  errorExitCode: 1,
  usage: DETACH_USAGE,
  describeError,
});
