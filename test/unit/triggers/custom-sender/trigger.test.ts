/**
 * The two custom sender trigger definitions at cold start: what they refuse before any event arrives
 * (docs/custom-senders.md, "Configuration").
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../../shared/errors.js';
import { customEmailSender, customSmsSender } from '../../../../triggers/custom-sender/trigger.js';
import { errorOf } from '../../../support/outcomes.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const common = { CODE_KEY_ARN: KEY_ARN, APP_NAME: 'Example', METRICS_ENABLED: 'false' };
const senders = [
  ['CustomEmailSender', customEmailSender, { ...common, EMAIL_FROM_ADDRESS: 'no-reply@example.com' }],
  ['CustomSMSSender', customSmsSender, { ...common, SMS_ALLOWED_COUNTRIES: 'US' }],
] as const;

describe.each(senders)('Trigger: %s at cold start', (_name, trigger, complete) => {
  it('configures its one rule, sendMessage, from a complete environment', () => {
    // Act
    const { rules } = trigger.configure(complete);

    // Assess
    expect(rules.map((rule) => rule.name)).toEqual(['sendMessage']);
  });

  it.each([
    ['RULES_MODE', 'shadow'],
    ['SHADOW_RULES', 'sendMessage'],
  ])(
    'refuses %s=%s: a shadowed delivery failure would answer success, and the message would be lost',
    (variable, value) => {
      // Prepare
      const env = { ...complete, [variable]: value };

      // Act
      const error = errorOf(ConfigurationError, () => trigger.configure(env));

      // Assess
      expect({ variable: error.variable, expected: error.expected }).toEqual({
        variable,
        expected: `${variable === 'RULES_MODE' ? 'enforce' : 'empty'} (a custom sender has no shadow mode)`,
      });
    },
  );
});
