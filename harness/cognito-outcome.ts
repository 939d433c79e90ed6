/**
 * What a Cognito API caller would see after a trigger ran: the shape of every replay report and of every
 * `events/**\/*.expected.json` file.
 */

/** The exceptions Cognito answers with when a trigger misbehaves (contract §1, "Errors the API caller sees"). */
export const CognitoErrorType = {
  UserLambdaValidation: 'UserLambdaValidationException',
  InvalidLambdaResponse: 'InvalidLambdaResponseException',
  UnexpectedLambda: 'UnexpectedLambdaException',
  InvalidParameter: 'InvalidParameterException',
} as const;

/** One of the exception names above. */
export type CognitoErrorType = (typeof CognitoErrorType)[keyof typeof CognitoErrorType];

/** Whether Cognito sends the trigger's text or the pool's own template for one message field. */
export type MessageChoice = 'custom' | 'default';

/** Custom message only: which text Cognito sends on each channel. */
export type MessageDelivery = {
  email: MessageChoice;
  emailSubject: MessageChoice;
  sms: MessageChoice;
};

/** The call goes on. */
export type CognitoSuccess = {
  outcome: 'success';
  /** The `response` object the function returned. */
  response: Record<string, unknown>;
  /** Pre sign-up only: the flags Cognito acts on (all `false` for AdminCreateUser, which ignores them). */
  effective?: { autoConfirmUser: boolean; autoVerifyEmail: boolean; autoVerifyPhone: boolean };
  /** Custom message only. */
  delivery?: MessageDelivery;
  /** Cognito rules that changed the result, one plain sentence each (for example why a default message is sent). */
  notes: string[];
};

/** The call fails; `message` is the exact text the caller's SDK shows. */
export type CognitoFailure = {
  outcome: 'error';
  errorType: CognitoErrorType;
  message: string;
  /** `true` when the contract marks this error's name or text as inferred [I], not documented. */
  inferred?: boolean;
};

/** What the Cognito API caller sees. */
export type CognitoOutcome = CognitoSuccess | CognitoFailure;

/** The content of an `*.expected.json` file beside each recorded event. */
export type Expectation = {
  /** One sentence on what the fixture shows and why that is the right outcome. */
  description: string;
  /**
   * The SAM `--env-vars` file this event is replayed with, when it is not `events/env.json`: relative to the
   * project root (`events/env.invite-only.json`), or, starting with `./` or `../`, to this file's folder
   * (`../env.recorded.json` in a `--record` recording); use the same with `sam local invoke`.
   */
  envVars?: string;
  /**
   * Set by `npm start -- --record` when no offline replay reproduces the outcome: the live answer it rested
   * on (`the captcha provider (turnstile) refusing the token`). `npm run replay` skips the fixture unless
   * `--all`.
   */
  needs?: string;
  /** How many times Cognito invoked the function (1 unless attempts timed out). */
  attempts: number;
  cognito: CognitoOutcome;
};
