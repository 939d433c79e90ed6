/**
 * Pre sign-up: decides who may sign up and whether they are confirmed and verified.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
import type { PreSignUpEvent } from '../../shared/event-types.js';
import {
  configureAtColdStart,
  coreOptionsFromEnv,
  createTriggerHandler,
  optionalRule,
  type Rule,
} from '../../shared/handler-core.js';
import { parsePreSignUpEvent } from '../../shared/parse-event.js';
import { blockDisposableEmails, blockDisposableEmailsFromEnv } from './rules/block-disposable-emails.js';
import { decideConfirmation, decideConfirmationFromEnv } from './rules/decide-confirmation.js';
import { linkExternalUsers, linkExternalUsersFromEnv } from './rules/link-external-users.js';
import { requireInvite, requireInviteFromEnv } from './rules/require-invite.js';
import { requireValidAttributes, requireValidAttributesFromEnv } from './rules/require-valid-attributes.js';
import { restrictEmailDomains, restrictEmailDomainsFromEnv } from './rules/restrict-email-domains.js';
import { verifyCaptcha, verifyCaptchaFromEnv } from './rules/verify-captcha.js';

const env = process.env;

// The order is the behaviour: cheap local checks first, then the checks that call out, then the
// decisions that grant something, which only ever act on what the rules before them proved.
const { rules, core } = configureAtColdStart(() => {
  const rules: Rule<PreSignUpEvent>[] = [
    requireValidAttributes(requireValidAttributesFromEnv(env)),
    ...optionalRule(restrictEmailDomainsFromEnv(env), restrictEmailDomains),
    ...optionalRule(blockDisposableEmailsFromEnv(env), blockDisposableEmails),
    // Linking first: a federated user with an existing (invited) account is linked to it, not turned away.
    ...optionalRule(linkExternalUsersFromEnv(env), linkExternalUsers),
    requireInvite(requireInviteFromEnv(env)),
    ...optionalRule(verifyCaptchaFromEnv(env), (captcha) =>
      verifyCaptcha(captcha.options, captcha.dependencies),
    ),
    decideConfirmation(decideConfirmationFromEnv(env)),
  ];
  // An undocumented source (a user migration, contract §2) still meets the restricting rules.
  return { rules, core: coreOptionsFromEnv(env, rules, 'rules') };
});

/** The Lambda entry point. */
export const handler = createTriggerHandler({
  ...core,
  trigger: 'PreSignUp',
  parse: parsePreSignUpEvent,
  rules,
});
