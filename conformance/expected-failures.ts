/**
 * The known differences of the endpoints the suite starts: a check id and why it fails there. CI runs the
 * suite against each (test/conformance/) and requires the failures to be exactly these, so a change in the
 * endpoint or in the suite is seen: a new failure, or one that no longer happens (remove it here).
 *
 * The local pipeline (`npm start`) has none: it must pass every check that is judged.
 */
import type { ExpectedFailures } from './scorecard.js';

/** Bare cognito-local 5.3.0, as configured by conformance/targets.ts (its README's configuration). */
export const COGNITO_LOCAL_EXPECTED_FAILURES: ExpectedFailures = {
  'sign-up.version': 'sends version "0"',
  'sign-up.region': 'sends region "local"',
  'sign-up.sdk-version': "sends its own aws-sdk v2 version (2.x), not the caller's",
  'sign-up.submitted-attributes': 'adds the generated sub to the pre sign-up attributes',
  'sign-up.validation-data': 'drops ValidationData: pre sign-up gets no validationData',
  'sign-up.code-parameters': 'no linkParameter; usernameParameter "{username}" for every source',
  'sign-up.custom-message-response': 'response pre-filled with "" instead of null',
  'sign-up.system-attributes': 'no cognito:user_status in custom message events',
  'sign-up.answer': 'CodeDeliveryDetails.Destination not masked',
  'sign-up.stored-unverified': 'stores no email_verified for an unverified address',
  'sign-up.no-inputs': 'validationData absent instead of null',
  'auto-confirm.answer': 'an auto-confirmed sign-up still answers CodeDeliveryDetails',
  'auto-confirm.no-code-message':
    'an auto-confirmed sign-up still gets the code message (CustomMessage_SignUp)',
  'auto-verify.phone-without-number': 'autoVerifyPhone without a phone number is accepted',
  'failure.thrown': 'names the function ("conformance-PreSignUp failed with error …"), not the trigger',
  'failure.invalid-output': 'output that is not the event gives an unnamed UnknownError',
  'failure.timeout': 'no 5 s timeout: a slow pre sign-up is waited for, and the sign-up succeeds',
  'failure.timeout-attempts': 'no timeout, so one attempt',
  'failure.timeout-wait': 'no timeout: the call lasts as long as the function',
  'failure.invoke-error-not-retried': "an Invoke API error is retried (its aws-sdk v2 client's retries)",
  'failure.post-confirmation-thrown': 'a failing post confirmation is logged and the call succeeds',
  'admin.triggers': 'AdminCreateUser does not call pre sign-up',
  'admin.pre-sign-up-client-id': 'no PreSignUp_AdminCreateUser event',
  'admin.pre-sign-up-inputs': 'no PreSignUp_AdminCreateUser event',
  'confirm.attributes': 'ConfirmSignUp does not mark the email verified',
  'resend.trigger': 'no ResendConfirmationCode operation',
  'resend.answer': 'no ResendConfirmationCode operation',
  'resend.unknown-user': 'no ResendConfirmationCode operation',
  'forgot.answer': 'CodeDeliveryDetails.Destination not masked',
  'forgot.unknown-user-enabled': 'PreventUserExistenceErrors ignored: UserNotFoundException',
  'forgot.disabled-user': 'a disabled user gets a reset code, unmasked',
  'forgot.unverified-user-enabled': 'a code goes to the unverified address',
  'forgot.unverified-user-legacy': 'a code goes to the unverified address; no InvalidParameterException',
  'forgot.confirm-unknown-user': 'PreventUserExistenceErrors ignored: UserNotFoundException',
  'confidential.no-secret-hash': 'SecretHash not checked',
  'limits.validation-data-name': 'the model limits are not checked',
  'limits.validation-data-value': 'the model limits are not checked',
  'limits.attribute-value': 'the model limits are not checked',
  'limits.password-length': 'the model limits are not checked',
  'limits.username-length': 'the model limits are not checked',
  'api.error-type-header': 'no x-amzn-ErrorType header',
};

/** The expected failures of each target the suite starts. */
export const EXPECTED_FAILURES = {
  local: {},
  'cognito-local': COGNITO_LOCAL_EXPECTED_FAILURES,
} as const satisfies Record<string, ExpectedFailures>;
