import { describe, expect, it, vi } from 'vitest';

// The custom message handler needs its app name at cold start, as template.yaml always gives it one. Metrics
// are off: their documents would go to the test's own stdout (shared/metrics-sink.ts is tested on its own).
vi.hoisted(() => {
  process.env.APP_NAME ??= 'Example';
  process.env.METRICS_ENABLED ??= 'false';
});

import type { SignUpTriggerEvent } from '../../../shared/event-types.js';
import {
  customMessageSources,
  postConfirmationSources,
  preSignUpSources,
  type TriggerSource,
} from '../../../shared/trigger-source.js';
import { handler as customMessageHandler } from '../../../triggers/custom-message/handler.js';
import { handler as postConfirmationHandler } from '../../../triggers/post-confirmation/handler.js';
import { handler as preSignUpHandler } from '../../../triggers/pre-sign-up/handler.js';
import {
  customMessageEvent,
  lambdaContext,
  postConfirmationEvent,
  preSignUpEvent,
} from '../../support/builders.js';

type Row = {
  source: TriggerSource;
  handler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<SignUpTriggerEvent>;
  event: () => SignUpTriggerEvent;
};

// Every trigger source of contract §2, §3 and §4, each with the handler Cognito would invoke for it.
const rows: Row[] = [
  ...preSignUpSources.map((source) => ({
    source,
    handler: preSignUpHandler,
    event: () => preSignUpEvent({ triggerSource: source }),
  })),
  ...customMessageSources.map((source) => ({
    source,
    handler: customMessageHandler,
    event: () =>
      customMessageEvent({
        triggerSource: source,
        // "{username}" only for the AdminCreateUser invitation (contract §3, Request).
        request: { usernameParameter: source === 'CustomMessage_AdminCreateUser' ? '{username}' : null },
      }),
  })),
  ...postConfirmationSources.map((source) => ({
    source,
    handler: postConfirmationHandler,
    event: () => postConfirmationEvent({ triggerSource: source }),
  })),
];

describe.each(rows)('Trigger: handler for $source', ({ handler, event }) => {
  it('returns the very event it was given', async () => {
    // Prepare
    const input = event();

    // Act
    const output = await handler(input, lambdaContext());

    // Assess
    expect(output).toBe(input);
  });

  it('changes nothing outside response, as Cognito requires (contract §1)', async () => {
    // Prepare
    const input = event();
    const { response: _before, ...before } = structuredClone(input);

    // Act
    const { response: _after, ...after } = await handler(input, lambdaContext());

    // Assess
    expect(after).toEqual(before);
  });
});

describe('Trigger: handlers', () => {
  it('cover all twelve trigger sources', () => {
    // Prepare
    const sources = new Set(rows.map((row) => row.source));

    // Act
    const count = sources.size;

    // Assess
    expect(count).toBe(12);
  });
});
