/**
 * Where each of the toolkit's triggers lives in a user pool's `LambdaConfig`, and how its function ARN is read
 * and written there. Keyed by `CoreTriggerName`, so a new trigger of the toolkit does not compile until it has
 * a slot here. The custom senders' slots hold `{ LambdaArn, LambdaVersion: 'V1_0' }` and need the pool's
 * `KMSKeyID` (a key ARN), which is a slot of its own ({@link KEY_SLOT}) that the plan sets beside them.
 */
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import type { CoreTriggerName } from '../shared/core-trigger.js';
import { TriggerName } from '../shared/trigger-source.js';
import {
  InvalidFunctionArnError,
  InvalidKmsKeyArnError,
  KmsKeyOptionError,
  UnknownTriggerError,
} from './errors.js';

/** One trigger's place in `LambdaConfig` (or the key's, {@link KEY_SLOT}). */
export type LambdaSlot = {
  /** Where it lives, for messages and diffs: `LambdaConfig.PreSignUp`. */
  readonly path: string;
  /** Whether Cognito needs `LambdaConfig.KMSKeyID` beside it (the custom senders). */
  readonly usesKey: boolean;
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

/** The `LambdaConfig` members of the custom senders: `{ LambdaArn, LambdaVersion }`. */
type SenderSlotKey = 'CustomEmailSender' | 'CustomSMSSender';

/** A slot that holds the function ARN itself (`PreSignUp: "arn:aws:lambda:…"`). */
function plainSlot(key: PlainSlotKey | 'KMSKeyID'): LambdaSlot {
  return {
    path: `LambdaConfig.${key}`,
    usesKey: false,
    read: (config) => config?.[key],
    write(config, arn) {
      const copy: LambdaConfigType = { ...config };
      if (arn === undefined) delete copy[key];
      else copy[key] = arn;
      return copy;
    },
  };
}

/**
 * A custom sender's slot: `{ LambdaArn, LambdaVersion: 'V1_0' }`. `V1_0` is the only version, and Cognito
 * requires it (contract §3); a slot that holds our ARN with it is ours whatever else it says.
 */
function senderSlot(key: SenderSlotKey): LambdaSlot {
  return {
    path: `LambdaConfig.${key}`,
    usesKey: true,
    read: (config) => config?.[key]?.LambdaArn,
    write(config, arn) {
      const copy: LambdaConfigType = { ...config };
      if (arn === undefined) delete copy[key];
      else copy[key] = { LambdaArn: arn, LambdaVersion: 'V1_0' };
      return copy;
    },
  };
}

/** The slot of each trigger of the toolkit. */
export const TRIGGER_SLOTS: Readonly<Record<CoreTriggerName, LambdaSlot>> = {
  PreSignUp: plainSlot('PreSignUp'),
  CustomMessage: plainSlot('CustomMessage'),
  PostConfirmation: plainSlot('PostConfirmation'),
  CustomEmailSender: senderSlot('CustomEmailSender'),
  CustomSMSSender: senderSlot('CustomSMSSender'),
};

/** `LambdaConfig.KMSKeyID`: the key Cognito encrypts the senders' codes with (a key ARN). */
export const KEY_SLOT: LambdaSlot = plainSlot('KMSKeyID');

/** The trigger names, in the order plans and messages list them. */
export const SLOT_ORDER: readonly CoreTriggerName[] = [
  ...Object.values(TriggerName),
  'CustomEmailSender',
  'CustomSMSSender',
];

/** A trigger's slot, or the key's: what a plan changes and a record of replaced values names. */
export type SlotName = CoreTriggerName | 'KMSKeyID';

/** Every slot a plan may change, in order: the triggers', then the key's. */
export const RECORD_ORDER: readonly SlotName[] = [...SLOT_ORDER, 'KMSKeyID'];

/** The slot of a trigger, or the key's. */
export function slotOf(name: SlotName): LambdaSlot {
  return name === 'KMSKeyID' ? KEY_SLOT : TRIGGER_SLOTS[name];
}

/** Function ARNs by trigger: the toolkit's own functions, or what a slot held before. */
export type TriggerFunctions = Partial<Record<CoreTriggerName, string>>;

/** What slots held before attach replaced them: function ARNs by trigger, and the replaced key's ARN. */
export type ReplacedValues = Partial<Record<SlotName, string>>;

// arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>], as Lambda names them.
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

// arn:<partition>:kms:<region>:<account>:key/<key id>: a key ARN (a single-Region key id is a UUID, a
// multi-Region one starts with mrk-). Not an alias ARN, not a bare key id: Cognito's model wants an ARN, and
// the senders' keyring matches the data key by the key ARN only (docs/custom-senders.md).
const KEY_ARN =
  /^arn:aws[a-z-]*:kms:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:key\/(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

// Any ARN Cognito's model accepts as KMSKeyID: what a pool may hold, and what detach may have to put back.
const RECORDED_KEY_ARN =
  /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:[\w+=/,.@-]*:[0-9]+:[\w+=/,.@-]+(?::[\w+=/,.@-]+)?(?::[\w+=/,.@-]+)?$/;

/** Whether `text` is a Lambda function ARN, possibly with a version or alias. */
export function isFunctionArn(text: string): boolean {
  return FUNCTION_ARN.test(text);
}

/**
 * `arn` checked as a key a pool held (Cognito's own pattern for `KMSKeyID`, looser than ours: a pool
 * configured elsewhere may hold an alias ARN, and detach puts back what was there).
 * @throws InvalidKmsKeyArnError.
 */
export function checkRecordedKeyArn(arn: unknown): string {
  if (typeof arn !== 'string' || !RECORDED_KEY_ARN.test(arn)) throw new InvalidKmsKeyArnError(String(arn));
  return arn;
}

/** Whether `text` is a KMS key ARN (not a bare key id, not an alias or its ARN). */
export function isKeyArn(text: string): boolean {
  return KEY_ARN.test(text);
}

/**
 * `arn` checked as a KMS key ARN.
 * @throws InvalidKmsKeyArnError, saying why a key id or an alias is not enough.
 */
export function checkKeyArn(arn: unknown): string {
  if (typeof arn !== 'string' || !isKeyArn(arn)) throw new InvalidKmsKeyArnError(String(arn));
  return arn;
}

/** Whether `functions` names a custom sender, which needs `KMSKeyID`. */
export function namesSender(functions: TriggerFunctions): boolean {
  return SLOT_ORDER.some((trigger) => TRIGGER_SLOTS[trigger].usesKey && functions[trigger] !== undefined);
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
    checked[trigger as CoreTriggerName] = arn;
  }
  return checked;
}

/**
 * A record of replaced values checked: the triggers' entries as by {@link checkTriggerFunctions}, and a
 * `KMSKeyID` entry as by {@link checkRecordedKeyArn}.
 * @throws UnknownTriggerError, InvalidFunctionArnError or InvalidKmsKeyArnError naming the entry.
 */
export function checkReplacedValues(values: Readonly<Record<string, unknown>>): ReplacedValues {
  const { KMSKeyID: key, ...functions } = values;
  const checked: ReplacedValues = checkTriggerFunctions(functions);
  if (key !== undefined) checked.KMSKeyID = checkRecordedKeyArn(key);
  return checked;
}

/**
 * The key an attach of `functions` goes with, checked: a custom sender needs one, and only a custom sender
 * does (`KMSKeyID` is the senders' key, one for both).
 * @throws KmsKeyOptionError for a sender without a key or a key without a sender; InvalidKmsKeyArnError.
 */
export function checkKmsKeyFor(functions: TriggerFunctions, kmsKeyId: unknown): string | undefined {
  const senders = SLOT_ORDER.filter(
    (trigger) => TRIGGER_SLOTS[trigger].usesKey && functions[trigger] !== undefined,
  );
  if (kmsKeyId === undefined) {
    if (senders.length === 0) return undefined;
    throw new KmsKeyOptionError(
      `${senders.join(' and ')} need${senders.length === 1 ? 's' : ''} the KMS key Cognito encrypts the codes ` +
        'with: give its key ARN (--kms-key-id, or the KMSKeyID property)',
    );
  }
  if (senders.length === 0) {
    throw new KmsKeyOptionError(
      'A KMS key is only for the custom senders (CustomEmailSender, CustomSMSSender), and none is given',
    );
  }
  return checkKeyArn(kmsKeyId);
}
