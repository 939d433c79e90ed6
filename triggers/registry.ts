/**
 * Every trigger of the toolkit, for the tools (the local pipeline, the recorder and anonymiser, the golden
 * suite, the guard tests). A new trigger is one line here once its folder, template resource, events and
 * docs exist (docs/contributing.md). Never imported by a handler: a bundle holds only its own trigger.
 */
import type { ToolView } from '../shared/define-trigger.js';
import type { TriggerName } from '../shared/trigger-source.js';
import { customMessage } from './custom-message/trigger.js';
import { postConfirmation } from './post-confirmation/trigger.js';
import { preSignUp } from './pre-sign-up/trigger.js';

/** The triggers, keyed by Cognito's name. */
export const TRIGGERS: Readonly<Record<TriggerName, ToolView>> = {
  PreSignUp: preSignUp,
  CustomMessage: customMessage,
  PostConfirmation: postConfirmation,
};

/** The descriptor of `name`, or `undefined` for a trigger the toolkit does not have. */
export function triggerNamed(name: string): ToolView | undefined {
  return Object.hasOwn(TRIGGERS, name) ? TRIGGERS[name as TriggerName] : undefined;
}
