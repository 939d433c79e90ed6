/**
 * The custom resource's physical id is its memory. CloudFormation's `Delete` request carries only the
 * resource's properties and the physical id it answered last (never the `Data` of an earlier answer), so what
 * attach replaced, which detach must put back, is written into the id itself:
 *
 *     cognito-sign-up-triggers|us-east-1_AbC123|PreSignUp=arn:aws:lambda:us-east-1:123456789012:function:old
 *
 * (the pool, then one `<Trigger>=<arn>` per replaced slot, in trigger order, then `KMSKeyID=<key arn>` when
 * the senders' key replaced another). A create that failed before
 * sending `UpdateUserPool` answers {@link NOT_ATTACHED}, so the `Delete` of its rollback changes nothing
 * whatever the pool or the credentials are like by then.
 *
 * CloudFormation limits a physical id to 1 KB; three of the longest function ARNs fit (about 800 characters).
 * A record that does not fit (five replaced functions and a key can exceed it) fails before anything is sent.
 */
import { AttachError } from '../errors.js';
import { checkReplacedValues, RECORD_ORDER, type ReplacedValues } from '../trigger-slots.js';
import { parseUserPoolId } from '../user-pool-id.js';

/** What the stack attached to, and what it replaced there. */
export type AttachmentRecord = {
  userPoolId: string;
  /** What each slot held before our function replaced it (`KMSKeyID`: the key ours replaced). */
  replaced: ReplacedValues;
};

const PREFIX = 'cognito-sign-up-triggers';

/** The physical id of a create that changed nothing. */
export const NOT_ATTACHED = `${PREFIX}|not-attached`;

/** CloudFormation's limit on a physical resource id. */
export const MAX_PHYSICAL_ID_BYTES = 1024;

/**
 * The physical id that records `record`.
 * @throws AttachError when it would exceed CloudFormation's 1 KB (checked before anything is sent).
 */
export function physicalIdOf(record: AttachmentRecord): string {
  const entries = RECORD_ORDER.flatMap((trigger) => {
    const arn = record.replaced[trigger];
    return arn === undefined ? [] : [`${trigger}=${arn}`];
  });
  const id = [PREFIX, record.userPoolId, ...entries].join('|');
  if (Buffer.byteLength(id) > MAX_PHYSICAL_ID_BYTES) {
    throw new AttachError(
      `The record of what would be replaced (${entries.join(', ')}) does not fit CloudFormation's 1 KB ` +
        'physical id: attach these triggers with npm run attach -- --replace --state <file> instead ' +
        '(nothing was changed)',
    );
  }
  return id;
}

/**
 * The record a physical id of this resource holds; `undefined` for {@link NOT_ATTACHED} and for an id this
 * resource never answers (nothing of ours to undo).
 */
export function recordOf(physicalId: string): AttachmentRecord | undefined {
  const [prefix, userPoolId, ...entries] = physicalId.split('|');
  if (prefix !== PREFIX || userPoolId === undefined || physicalId === NOT_ATTACHED) return undefined;
  try {
    parseUserPoolId(userPoolId);
    // No prototype: an entry named `__proto__` becomes a key, which the check below refuses.
    const replaced: Record<string, string> = Object.create(null);
    for (const entry of entries) {
      const equals = entry.indexOf('=');
      if (equals < 1) return undefined;
      replaced[entry.slice(0, equals)] = entry.slice(equals + 1);
    }
    return { userPoolId, replaced: checkReplacedValues(replaced) };
  } catch (error) {
    if (error instanceof AttachError) return undefined;
    throw error;
  }
}
