/**
 * Pre sign-up: decides who may sign up and whether they are confirmed and verified.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
import { defineTrigger } from '../../shared/define-trigger.js';
import type { PreSignUpEvent } from '../../shared/event-types.js';
import { coreOptionsFromEnv, coreSettings, type Rule } from '../../shared/handler-core.js';
import { observabilitySettings } from '../../shared/observability.js';
import { configureFrom, optionalRule } from '../../shared/options.js';
import { parsePreSignUpEvent } from '../../shared/parse-event.js';
import { sourcesOfTrigger } from '../../shared/trigger-source.js';
import {
  blockDisposableEmails,
  blockDisposableEmailsFromEnv,
  blockDisposableEmailsSettings,
} from './rules/block-disposable-emails.js';
import {
  decideConfirmation,
  decideConfirmationFromEnv,
  decideConfirmationSettings,
} from './rules/decide-confirmation.js';
import {
  linkExternalUsers,
  linkExternalUsersFromEnv,
  linkExternalUsersSettings,
} from './rules/link-external-users.js';
import { requireInvite, requireInviteFromEnv, requireInviteSettings } from './rules/require-invite.js';
import {
  requireValidAttributes,
  requireValidAttributesFromEnv,
  requireValidAttributesSettings,
} from './rules/require-valid-attributes.js';
import {
  restrictEmailDomains,
  restrictEmailDomainsFromEnv,
  restrictEmailDomainsSettings,
} from './rules/restrict-email-domains.js';
import { verifyCaptcha, verifyCaptchaFromEnv, verifyCaptchaSettings } from './rules/verify-captcha.js';

/** The pre sign-up trigger: its rules, in the order that is the behaviour. */
export const preSignUp = defineTrigger({
  name: 'PreSignUp',
  sources: sourcesOfTrigger.PreSignUp,
  parse: parsePreSignUpEvent,
  settings: [
    observabilitySettings,
    coreSettings,
    requireValidAttributesSettings,
    restrictEmailDomainsSettings,
    blockDisposableEmailsSettings,
    linkExternalUsersSettings,
    requireInviteSettings,
    verifyCaptchaSettings,
    decideConfirmationSettings,
  ],
  // Cheap local checks first, then the checks that call out, then the decisions that grant something, which
  // only ever act on what the rules before them proved.
  configure(env) {
    const rules: Rule<PreSignUpEvent>[] = [
      configureFrom(requireValidAttributesSettings, () =>
        requireValidAttributes(requireValidAttributesFromEnv(env)),
      ),
      ...optionalRule(restrictEmailDomainsSettings, restrictEmailDomainsFromEnv(env), restrictEmailDomains),
      ...optionalRule(
        blockDisposableEmailsSettings,
        blockDisposableEmailsFromEnv(env),
        blockDisposableEmails,
      ),
      // Linking first: a federated user with an existing (invited) account is linked to it, not turned away.
      ...optionalRule(linkExternalUsersSettings, linkExternalUsersFromEnv(env), linkExternalUsers),
      configureFrom(requireInviteSettings, () => requireInvite(requireInviteFromEnv(env))),
      ...optionalRule(verifyCaptchaSettings, verifyCaptchaFromEnv(env), (captcha) =>
        verifyCaptcha(captcha.options, captcha.dependencies),
      ),
      configureFrom(decideConfirmationSettings, () => decideConfirmation(decideConfirmationFromEnv(env))),
    ];
    // An undocumented source (a user migration, contract §2) still meets the restricting rules.
    return { rules, core: coreOptionsFromEnv(env, rules, 'rules') };
  },
});
