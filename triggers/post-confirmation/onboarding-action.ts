/** The shape every onboarding action of post confirmation has (groups, profile, `UserConfirmed` event). */
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import type { RuleContext } from '../../shared/handler-core.js';

/** What an action says it did: `'skipped'` when there was nothing to do (already done, or not applicable). */
export type ActionOutcome = 'done' | 'skipped';

/**
 * One onboarding step: a **named** function (its name is what the logs and the failure queue say), idempotent,
 * that honours `context.signal` and throws a `SignUpFault` when it cannot complete.
 */
export type OnboardingAction = (event: PostConfirmationEvent, context: RuleContext) => Promise<ActionOutcome>;
