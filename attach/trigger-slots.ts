/**
 * Where each of the toolkit's triggers lives in a user pool's `LambdaConfig`, and how its function ARN is read
 * and written there. Keyed by `TriggerName`, so a new trigger of the toolkit does not compile until it has a
 * slot here.
 */
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { TriggerName } from '../shared/trigger-source.js';
import { InvalidFunctionArnError, UnknownTriggerError } from './errors.js';

/**
 * One trigger's place in `LambdaConfig`. Today every slot is a plain ARN string. A custom sender trigger
 * (`CustomEmailSender`, `CustomSMSSender`) would be a slot whose `write` sets `{ LambdaArn, LambdaVersion }`
 * and which also needs `KMSKeyID`: its factory would take those as options, and nothing else here changes.
 */
export type LambdaSlot = {
  /** Where it lives, for messages and diffs: `LambdaConfig.PreSignUp`. */
  readonly path: string;
  /** The function ARN the slot holds now, or `undefined` when it is empty. */
  read(config: LambdaConfigType | undefined): string | undefined;
  /** A copy of `config` with the slot set to `arn`, or emptied when `arn` is `undefined`. */
  write(config: LambdaConfigType | undefined, arn: string | undefined): LambdaConfigType;
};

/** The `LambdaConfig` members that hold a bare function ARN. */
type PlainSlotKey = Exclude<
  {
    [K in keyof LambdaConfigType]-?: NonNullable<LambdaConfigType[K]> extends string ? K : never;
  }[keyof LambdaConfigType],
  'KMSKeyID'
>;

/** A slot that holds the function ARN itself (`PreSignUp: "arn:aws:lambda:…"`). */
function plainSlot(key: PlainSlotKey): LambdaSlot {
  return {
    path: `LambdaConfig.${key}`,
    read: (config) => config?.[key],
    write(config, arn) {
      const copy: LambdaConfigType = { ...config };
      if (arn === undefined) delete copy[key];
      else copy[key] = arn;
      return copy;
    },
  };
}

/** The slot of each trigger of the toolkit. */
export const TRIGGER_SLOTS: Readonly<Record<TriggerName, LambdaSlot>> = {
  PreSignUp: plainSlot('PreSignUp'),
  CustomMessage: plainSlot('CustomMessage'),
  PostConfirmation: plainSlot('PostConfirmation'),
};

/** The trigger names, in the order plans and messages list them. */
export const SLOT_ORDER: readonly TriggerName[] = Object.values(TriggerName);

/** Function ARNs by trigger: the toolkit's own functions, or what a slot held before. */
export type TriggerFunctions = Partial<Record<TriggerName, string>>;

// arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>], as Lambda names them.
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** Whether `text` is a Lambda function ARN, possibly with a version or alias. */
export function isFunctionArn(text: string): boolean {
  return FUNCTION_ARN.test(text);
}

/**
 * `functions` checked: every key a trigger of the toolkit, every value a Lambda function ARN.
 * @throws UnknownTriggerError or InvalidFunctionArnError naming the entry.
 */
export function checkTriggerFunctions(functions: Readonly<Record<string, unknown>>): TriggerFunctions {
  const checked: TriggerFunctions = {};
  for (const [trigger, arn] of Object.entries(functions)) {
    if (arn === undefined) continue;
    if (!Object.hasOwn(TRIGGER_SLOTS, trigger)) throw new UnknownTriggerError(trigger, SLOT_ORDER);
    if (typeof arn !== 'string' || !isFunctionArn(arn))
      throw new InvalidFunctionArnError(trigger, String(arn));
    checked[trigger as TriggerName] = arn;
  }
  return checked;
}
