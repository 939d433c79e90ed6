import { Tracer } from '@aws-lambda-powertools/tracer';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  DeadlineExceededError,
  EventShapeError,
  MetadataInvalidError,
  SignUpRejection,
  SignUpUnavailableError,
} from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import {
  type CreateTriggerHandlerOptions,
  configureAtColdStart,
  coreOptionsFromEnv,
  createTriggerHandler,
  type Rule,
  type RuleContext,
} from '../../../shared/handler-core.js';
import { OptionsError } from '../../../shared/options.js';
import { parsePreSignUpEvent } from '../../../shared/parse-event.js';
import { NO_TRIGGER_SOURCE } from '../../../shared/trigger-source.js';
import {
  lambdaContext,
  preSignUpEvent,
  preSignUpResponse,
  testEmail,
  withValueAt,
} from '../../support/builders.js';
import { everythingLogged, spyLogger } from '../../support/logger-spies.js';
import { errorOf, rejectionOf } from '../../support/outcomes.js';

type Options = Partial<CreateTriggerHandlerOptions<PreSignUpEvent>>;

/** A pre sign-up handler over `rules`, logging into a spy. */
function preSignUpHandler(rules: readonly Rule<PreSignUpEvent>[], options: Options = {}) {
  const logger = spyLogger();
  const handler = createTriggerHandler({
    trigger: 'PreSignUp',
    parse: parsePreSignUpEvent,
    rules,
    logger,
    ...options,
  });
  return { handler, logger };
}

/** The objects logged as 'trigger decision'. */
function decisionLines(logger: ReturnType<typeof spyLogger>): Record<string, unknown>[] {
  return logger.info.mock.calls.filter(([message]) => message === 'trigger decision').map(([, line]) => line);
}

/** A rule named `records` that keeps the event and the context of every call, in `seen`. */
function recorder() {
  const seen: { event: PreSignUpEvent; context: RuleContext }[] = [];
  const records: Rule<PreSignUpEvent> = function records(event, context) {
    seen.push({ event, context });
    return 'pass';
  };
  return { records, seen };
}

// Named rules: the function name is what the decision line reports.
const passes: Rule<PreSignUpEvent> = function passes() {
  return 'pass';
};
const autoConfirms: Rule<PreSignUpEvent> = function autoConfirms(event) {
  if (event.request.userAttributes.email?.endsWith('@example.com') !== true) return 'skipped';
  event.response.autoConfirmUser = true;
  return 'changed';
};
const rejects: Rule<PreSignUpEvent> = function rejects(event) {
  if (event.request.userAttributes.email !== undefined) {
    throw new SignUpRejection('EMAIL_DOMAIN_BLOCKED');
  }
  return 'pass';
};
const breaks: Rule<PreSignUpEvent> = function breaks() {
  throw new Error('table unavailable');
};
const hangs: Rule<PreSignUpEvent> = function hangs() {
  return new Promise<never>(() => {});
};

describe('Shared: createTriggerHandler (outcomes)', () => {
  it('returns the very event it was given, unchanged, when no rule has an opinion', async () => {
    // Prepare
    const { handler } = preSignUpHandler([passes]);
    const event = preSignUpEvent();
    const before = structuredClone(event);

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
    expect(result).toEqual(before);
  });

  it('returns the same event object with the response a rule filled in', async () => {
    // Prepare
    const { handler } = preSignUpHandler([autoConfirms]);
    const event = preSignUpEvent();

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
    expect(result.response).toEqual(preSignUpResponse.confirmed);
  });

  it('runs the rules one after another, in the order given', async () => {
    // Prepare
    const ran: string[] = [];
    const slowFirst: Rule<PreSignUpEvent> = async function slowFirst() {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ran.push('slowFirst');
      return 'pass' as const;
    };
    const second: Rule<PreSignUpEvent> = function second() {
      ran.push('second');
      return 'pass';
    };
    const third: Rule<PreSignUpEvent> = async function third() {
      ran.push('third');
      return undefined;
    };
    const { handler } = preSignUpHandler([slowFirst, second, third]);

    // Act
    await handler(preSignUpEvent(), lambdaContext());

    // Assess
    expect(ran).toEqual(['slowFirst', 'second', 'third']);
  });

  it('hands each rule the event, the deadline, an abort signal and the Lambda context', async () => {
    // Prepare
    const { records, seen } = recorder();
    const { handler } = preSignUpHandler([records]);
    const event = preSignUpEvent();
    const lambda = lambdaContext();

    // Act
    await handler(event, lambda);

    // Assess
    expect(seen).toHaveLength(1);
    expect(seen[0]?.event).toBe(event);
    expect(seen[0]?.context).toMatchObject({ lambda, deadline: expect.any(Number) });
    expect(seen[0]?.context.signal).toBeInstanceOf(AbortSignal);
  });

  it('passes a SignUpRejection through unchanged and runs no later rule', async () => {
    // Prepare
    const later = vi.fn(() => 'pass' as const);
    const { handler } = preSignUpHandler([rejects, later]);

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpRejection);
    expect(error).toMatchObject({
      code: 'EMAIL_DOMAIN_BLOCKED',
      message: 'EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed.',
    });
    expect(error).not.toBeInstanceOf(SignUpUnavailableError);
    expect(later).not.toHaveBeenCalled();
  });

  it('passes the very rejection instance a rule threw', async () => {
    // Prepare
    const thrown = new SignUpRejection('INVITE_REQUIRED');
    const throwsIt: Rule<PreSignUpEvent> = function throwsIt() {
      throw thrown;
    };
    const { handler } = preSignUpHandler([throwsIt]);

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toBe(thrown);
  });

  it('turns any other error into SignUpUnavailableError keeping it as cause', async () => {
    // Prepare
    const { handler } = preSignUpHandler([breaks]);

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect((error as Error).cause).toMatchObject({ message: 'table unavailable' });
  });

  it('turns a thrown non-Error into SignUpUnavailableError keeping it as cause', async () => {
    // Prepare
    const throwsString: Rule<PreSignUpEvent> = function throwsString() {
      throw 'plain string';
    };
    const { handler, logger } = preSignUpHandler([throwsString]);

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect((error as Error).cause).toBe('plain string');
    expect(logger.error).toHaveBeenCalledWith('trigger fault', { error: { name: 'string' } });
  });

  it('turns a parse failure into SignUpUnavailableError whose cause is the EventShapeError', async () => {
    // Prepare
    const rule = vi.fn(() => 'pass' as const);
    const { handler } = preSignUpHandler([rule]);
    const raw = withValueAt(preSignUpEvent(), ['request', 'userAttributes'], null);

    // Act
    const error = await rejectionOf(handler(raw, lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(EventShapeError);
    expect(rule).not.toHaveBeenCalled();
  });

  it('logs the parse failure with the EventShapeError summary', async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([]);

    // Act
    await rejectionOf(handler(null, lambdaContext()));

    // Assess
    expect(logger.error).toHaveBeenCalledWith('event rejected by the parser', {
      error: expect.objectContaining({ name: 'EventShapeError' }),
    });
  });

  it("answers Cognito's default for an undocumented source by default, running no rule (contract §2)", async () => {
    // Prepare
    const rule = vi.fn(() => 'changed' as const);
    const { handler } = preSignUpHandler([rule]);
    const event = withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_UserMigration');

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
    expect(rule).not.toHaveBeenCalled();
  });

  it('refuses an undocumented source with SignUpUnavailableError when told to reject', async () => {
    // Prepare
    const rule = vi.fn(() => 'pass' as const);
    const { handler } = preSignUpHandler([rule], { unknownSource: 'reject' });
    const event = withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_UserMigration');

    // Act
    const error = await rejectionOf(handler(event, lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect(rule).not.toHaveBeenCalled();
  });

  it('runs the rules for an undocumented source when told to (they restrict, never grant)', async () => {
    // Prepare
    const rule = vi.fn(() => 'pass' as const);
    const { handler } = preSignUpHandler([rule], { unknownSource: 'rules' });
    const event = withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_UserMigration');

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
    expect(rule).toHaveBeenCalledTimes(1);
  });

  it('hands the logger the Lambda context of each invocation', async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([]);
    const lambda = lambdaContext({ awsRequestId: 'req-1' });

    // Act
    await handler(preSignUpEvent(), lambda);

    // Assess
    expect(logger.addContext).toHaveBeenCalledWith(lambda);
  });

  it('uses the shared logger and tracer when none is given', async () => {
    // Prepare
    const handler = createTriggerHandler({
      trigger: 'PreSignUp',
      parse: parsePreSignUpEvent,
      rules: [passes],
    });
    const event = preSignUpEvent();

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
  });
});

describe('Shared: createTriggerHandler (caller metadata, contract §5)', () => {
  it('passes the MetadataInvalidError the parser raised for a non-string value through, as METADATA_INVALID', async () => {
    // Prepare
    const rule = vi.fn(() => 'pass' as const);
    const { handler } = preSignUpHandler([rule]);
    const raw = preSignUpEvent({
      request: { clientMetadata: { attempt: 2 } as unknown as Record<string, string> },
    });

    // Act
    const error = await rejectionOf(handler(raw, lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(MetadataInvalidError);
    expect(error).toMatchObject({ code: 'METADATA_INVALID', source: 'clientMetadata', key: 'attempt' });
    expect(rule).not.toHaveBeenCalled();
  });

  it("logs the parser's rejection as rejected by parse, with its code, and not as a fault", async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([]);
    const raw = preSignUpEvent({
      request: { validationData: { invite: null } as unknown as Record<string, string> },
    });

    // Act
    await rejectionOf(handler(raw, lambdaContext()));

    // Assess
    expect(decisionLines(logger)).toEqual([
      expect.objectContaining({ outcome: 'rejected', decidedBy: 'parse', code: 'METADATA_INVALID' }),
    ]);
    expect(logger.error).not.toHaveBeenCalled();
  });
});

describe('Shared: createTriggerHandler (test events AWS hands out, contract §1)', () => {
  it('replies to an event it had to normalise with the original, changed only inside response', async () => {
    // Prepare
    const { records, seen } = recorder();
    const { handler } = preSignUpHandler([records, autoConfirms]);
    const raw = withValueAt(
      preSignUpEvent(),
      ['request', 'userAttributes', 'email_verified'],
      true,
    ) as PreSignUpEvent;
    const before = structuredClone(raw);

    // Act
    const result = await handler(raw, lambdaContext());

    // Assess
    expect(seen[0]?.event.request.userAttributes.email_verified).toBe('true');
    expect(result).toBe(raw);
    expect(result).toEqual({ ...before, response: preSignUpResponse.confirmed });
  });

  it("adds Cognito's default response to a fragment answered by the passthrough policy", async () => {
    // Prepare
    const rule = vi.fn(() => 'changed' as const);
    const { handler } = preSignUpHandler([rule]);
    const raw = { request: { userAttributes: { email: testEmail } } };

    // Act
    const result = await handler(raw, lambdaContext());

    // Assess
    expect(result).toBe(raw);
    expect(result).toEqual({
      request: { userAttributes: { email: testEmail } },
      response: preSignUpResponse.unflagged,
    });
    expect(rule).not.toHaveBeenCalled();
  });

  it('runs the rules on a fragment under the rules policy, as a source nobody documented', async () => {
    // Prepare
    const { records, seen } = recorder();
    const { handler } = preSignUpHandler([records], { unknownSource: 'rules' });
    const raw = { request: { userAttributes: { email: testEmail } }, response: {} };

    // Act
    const result = await handler(raw, lambdaContext());

    // Assess
    expect(seen[0]?.event.triggerSource).toBe(NO_TRIGGER_SOURCE);
    expect(result).toEqual({
      request: { userAttributes: { email: testEmail } },
      response: preSignUpResponse.unflagged,
    });
  });

  it('answers any scalar attribute values with the event it was sent, changed only inside response', async () => {
    // Prepare
    const { handler } = preSignUpHandler([autoConfirms]);
    const scalar = fc.oneof(
      fc.boolean(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
    );
    const attributes = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), scalar, { maxKeys: 5 });

    // Act
    const property = fc.asyncProperty(attributes, async (values) => {
      const raw = JSON.parse(
        JSON.stringify(withValueAt(preSignUpEvent(), ['request', 'userAttributes'], values)),
      );
      const sent = structuredClone(raw);
      const { response: answer, ...rest } = (await handler(raw, lambdaContext())) as unknown as Record<
        string,
        unknown
      >;
      const { response: _pre, ...expected } = sent;
      expect(rest).toEqual(expected);
      expect(Object.values(answer as object).every((flag) => typeof flag === 'boolean')).toBe(true);
    });

    // Assess
    await expect(fc.assert(property, { numRuns: 50 })).resolves.toBeUndefined();
  });
});

describe('Shared: createTriggerHandler (options)', () => {
  // Regression: `{ ...defaults, ...options }` lets an option passed as `undefined` (allowed, as
  // exactOptionalPropertyTypes is off) replace its default: unknownSource undefined rejects, shadow undefined
  // turns every rejection into "settings.shadow is not a function", budgetMs undefined makes a NaN deadline.
  it("answers Cognito's default for an undocumented source when unknownSource is passed as undefined", async () => {
    // Prepare
    const { handler } = preSignUpHandler([], { unknownSource: undefined });
    const event = withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_UserMigration');

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
  });

  it('passes a rejection through when shadow is passed as undefined', async () => {
    // Prepare
    const { handler } = preSignUpHandler([rejects], { shadow: undefined });

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toMatchObject({ code: 'EMAIL_DOMAIN_BLOCKED' });
  });

  it('knows only the sources it is given: another documented source of the trigger is then undocumented', async () => {
    // Prepare
    const { records, seen } = recorder();
    const { handler } = preSignUpHandler([records], { sources: ['PreSignUp_SignUp'] });
    const external = withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_ExternalProvider');

    // Act
    const known = await handler(preSignUpEvent(), lambdaContext());
    const passedThrough = await handler(external, lambdaContext());

    // Assess
    expect(known.triggerSource).toBe('PreSignUp_SignUp');
    expect(passedThrough).toBe(external);
    expect(seen.map(({ event }) => event.triggerSource)).toEqual(['PreSignUp_SignUp']);
  });

  it.each([
    ['a custom sender without its sources', { trigger: 'CustomEmailSender' as const }, 'sources'],
    ['sources that are not a list', { sources: 'PreSignUp_SignUp' as never }, 'sources'],
  ])('refuses %s with an OptionsError naming the option', (_label, options, option) => {
    // Prepare (the options)

    // Act
    const error = errorOf(OptionsError, () => preSignUpHandler([], options as Options));

    // Assess
    expect(error.option).toBe(option);
  });

  it('keeps the 5 s budget when budgetMs is passed as undefined', async () => {
    // Prepare
    const { handler } = preSignUpHandler([passes], { budgetMs: undefined });
    const event = preSignUpEvent();

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
  });
});

describe('Shared: createTriggerHandler (shadow mode)', () => {
  it("only logs a shadowed rule's rejection as 'would reject: <CODE>' and goes on", async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([rejects, autoConfirms], {
      shadow: (name) => name === 'rejects',
    });
    const event = preSignUpEvent();

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
    expect(result.response.autoConfirmUser).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith('would reject: EMAIL_DOMAIN_BLOCKED', {
      rule: 'rejects',
      code: 'EMAIL_DOMAIN_BLOCKED',
    });
  });

  it('reports the shadowed rule as would-reject in the decision line', async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([rejects], { shadow: () => true });

    // Act
    await handler(preSignUpEvent(), lambdaContext());

    // Assess
    expect(decisionLines(logger)[0]).toMatchObject({
      outcome: 'default',
      rules: [{ rule: 'rejects', outcome: 'would-reject', code: 'EMAIL_DOMAIN_BLOCKED' }],
    });
  });

  it('still rejects for a rule that is not shadowed', async () => {
    // Prepare
    const { handler } = preSignUpHandler([rejects], { shadow: (name) => name === 'someOtherRule' });

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toMatchObject({ code: 'EMAIL_DOMAIN_BLOCKED' });
  });

  it("logs a shadowed rule's fault as would-fault and lets the sign-up through", async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([breaks], { shadow: () => true });
    const event = preSignUpEvent();

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
    expect(logger.warn).toHaveBeenCalledWith(
      'shadowed rule fault',
      expect.objectContaining({ rule: 'breaks' }),
    );
  });

  it('still fails on a fault of a rule that is not shadowed', async () => {
    // Prepare
    const { handler } = preSignUpHandler([breaks], { shadow: () => false });

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
  });
});

describe('Shared: createTriggerHandler (deadline, contract §6)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers SignUpUnavailableError caused by DeadlineExceededError when a rule hangs past the budget', async () => {
    // Prepare
    const { handler } = preSignUpHandler([hangs], { budgetMs: 50 });

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).cause).toMatchObject({ operation: 'PreSignUp' });
  });

  it('aborts the signal a hanging rule was given', async () => {
    // Prepare
    let signal: AbortSignal | undefined;
    const waitsForAbort: Rule<PreSignUpEvent> = function waitsForAbort(_event, context) {
      signal = context.signal;
      return new Promise<never>(() => {});
    };
    const { handler } = preSignUpHandler([waitsForAbort], { budgetMs: 50 });

    // Act
    await rejectionOf(handler(preSignUpEvent(), lambdaContext()));
    await new Promise((resolve) => setTimeout(resolve, 30));

    // Assess
    expect(signal?.aborted).toBe(true);
  });

  it("sets the deadline from the Lambda's remaining time less the reply margin when that is shorter", async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });
    const { records, seen } = recorder();
    const { handler } = preSignUpHandler([records]);

    // Act
    await handler(preSignUpEvent(), lambdaContext({ remainingMs: 2000 }));

    // Assess
    expect(seen[0]?.context.deadline).toBe(1_000_000 + 1700);
  });

  it('sets the deadline from budgetMs when that is shorter', async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });
    const { records, seen } = recorder();
    const { handler } = preSignUpHandler([records], { budgetMs: 800 });

    // Act
    await handler(preSignUpEvent(), lambdaContext({ remainingMs: 30_000 }));

    // Assess
    expect(seen[0]?.context.deadline).toBe(1_000_800);
  });

  it("keeps Cognito's 5 s when the context cannot tell the remaining time", async () => {
    // Prepare
    vi.useFakeTimers({ now: 1_000_000 });
    const { records, seen } = recorder();
    const { handler } = preSignUpHandler([records]);
    const lambda = Object.assign(lambdaContext(), { getRemainingTimeInMillis: undefined });

    // Act
    await handler(preSignUpEvent(), lambda);

    // Assess
    expect(seen[0]?.context.deadline).toBe(1_004_700);
  });

  // Regression: on a time-out the decision line names the last rule that *finished*
  // (`reports.at(-1)`), not the rule that was running when the deadline passed.
  it('names the hanging rule as the one that decided a time-out', async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([passes, hangs], { budgetMs: 50 });

    // Act
    await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(decisionLines(logger)[0]).toMatchObject({ outcome: 'fault', decidedBy: 'hangs' });
  });

  // Regression: options are not validated at construction (the Middy model: checked once, at construction). A fractional
  // budget reaches AbortSignal.timeout, whose RangeError escapes the fault handling untranslated.
  it.each([
    ['a fraction', 50.5],
    ['NaN', Number.NaN],
    ['zero', 0],
  ])('refuses a budgetMs of %s when the handler is built', (_label, budgetMs) => {
    // Prepare
    const build = () => preSignUpHandler([passes], { budgetMs });

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error).toMatchObject({ option: 'budgetMs', expected: 'a positive whole number' });
  });
});

describe('Shared: createTriggerHandler (the decision line)', () => {
  const unknownSourceEvent = () =>
    withValueAt(preSignUpEvent(), ['triggerSource'], 'PreSignUp_UserMigration');
  const scenarios: {
    name: string;
    rules: readonly Rule<PreSignUpEvent>[];
    options?: Options;
    raw: () => unknown;
    line: Record<string, unknown>;
  }[] = [
    {
      name: 'no rule has an opinion',
      rules: [passes],
      raw: () => preSignUpEvent(),
      line: { outcome: 'default', decidedBy: 'none' },
    },
    {
      name: 'a rule changed the response',
      rules: [autoConfirms, passes],
      raw: () => preSignUpEvent(),
      line: { outcome: 'changed', decidedBy: 'autoConfirms' },
    },
    {
      name: 'a rule rejected',
      rules: [passes, rejects],
      raw: () => preSignUpEvent(),
      line: { outcome: 'rejected', decidedBy: 'rejects', code: 'EMAIL_DOMAIN_BLOCKED' },
    },
    {
      name: 'a rule faulted',
      rules: [breaks],
      raw: () => preSignUpEvent(),
      line: { outcome: 'fault', decidedBy: 'breaks' },
    },
    {
      name: 'the parser refused the event',
      rules: [passes],
      raw: () => withValueAt(preSignUpEvent(), ['response'], null),
      line: { outcome: 'fault', decidedBy: 'parse' },
    },
    {
      name: 'an undocumented source passed through',
      rules: [passes],
      raw: unknownSourceEvent,
      line: { outcome: 'passthrough', decidedBy: 'none', triggerSource: 'PreSignUp_UserMigration' },
    },
    {
      name: 'an undocumented source was refused',
      rules: [passes],
      options: { unknownSource: 'reject' },
      raw: unknownSourceEvent,
      line: { outcome: 'fault', decidedBy: 'unknown-source', triggerSource: 'PreSignUp_UserMigration' },
    },
  ];

  it.each(scenarios)('logs exactly one decision line when $name', async ({ rules, options, raw, line }) => {
    // Prepare
    const { handler, logger } = preSignUpHandler(rules, options);

    // Act
    await handler(raw(), lambdaContext()).catch(() => undefined);

    // Assess
    const lines = decisionLines(logger);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: 'us-east-1_EXAMPLE',
      durationMs: expect.any(Number),
      rules: expect.any(Array),
      ...line,
    });
  });

  it.each(scenarios)('logs no attribute value when $name', async ({ rules, options, raw }) => {
    // Prepare
    const { handler, logger } = preSignUpHandler(rules, options);

    // Act
    await handler(raw(), lambdaContext()).catch(() => undefined);

    // Assess
    expect(everythingLogged(logger)).not.toContain(testEmail);
    expect(everythingLogged(logger)).not.toContain('example.com');
  });

  it('reports every rule that ran, with its outcome and duration', async () => {
    // Prepare
    const anonymous: Rule<PreSignUpEvent>[] = [() => undefined];
    const { handler, logger } = preSignUpHandler([passes, autoConfirms, ...anonymous]);

    // Act
    await handler(preSignUpEvent(), lambdaContext());

    // Assess
    const rules = decisionLines(logger)[0]?.rules as { durationMs: number }[];
    expect(rules).toMatchObject([
      { rule: 'passes', outcome: 'pass' },
      { rule: 'autoConfirms', outcome: 'changed' },
      { rule: 'rule#2', outcome: 'pass' },
    ]);
    expect(rules.every((report) => report.durationMs >= 0)).toBe(true);
  });

  it('reports a skipped rule as skipped', async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([autoConfirms]);
    const event = preSignUpEvent({ request: { userAttributes: { email: 'bob@example.org' } } });

    // Act
    await handler(event, lambdaContext());

    // Assess
    expect(decisionLines(logger)[0]).toMatchObject({
      outcome: 'default',
      rules: [{ rule: 'autoConfirms', outcome: 'skipped' }],
    });
  });

  it('reports a rejecting rule with its code and a faulting rule as fault', async () => {
    // Prepare
    const first = preSignUpHandler([rejects]);
    const second = preSignUpHandler([breaks]);

    // Act
    await first.handler(preSignUpEvent(), lambdaContext()).catch(() => undefined);
    await second.handler(preSignUpEvent(), lambdaContext()).catch(() => undefined);

    // Assess
    expect(decisionLines(first.logger)[0]?.rules).toMatchObject([
      { rule: 'rejects', outcome: 'reject', code: 'EMAIL_DOMAIN_BLOCKED' },
    ]);
    expect(decisionLines(second.logger)[0]?.rules).toEqual([
      { rule: 'breaks', outcome: 'fault', durationMs: expect.any(Number) },
    ]);
  });

  it('cuts a long undocumented triggerSource to 64 characters', async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([]);
    const source = `PreSignUp_${'x'.repeat(200)}`;

    // Act
    await handler(withValueAt(preSignUpEvent(), ['triggerSource'], source), lambdaContext());

    // Assess
    expect(decisionLines(logger)[0]?.triggerSource).toBe(source.slice(0, 64));
  });

  it('logs an event that is not an object without triggerSource or userPoolId', async () => {
    // Prepare
    const { handler, logger } = preSignUpHandler([]);

    // Act
    await handler(null, lambdaContext()).catch(() => undefined);

    // Assess
    expect(decisionLines(logger)[0]).toMatchObject({ triggerSource: undefined, userPoolId: undefined });
  });

  // Regression: errorSummary logs message and stack of *any* error. Node's JSON.parse puts the
  // text it could not parse into its message (`Unexpected token 'a', "alice.exam"... is not valid JSON`), so a
  // rule parsing a user-supplied value leaks it to the logs; the stack's first line repeats the message.
  it('logs no part of an attribute value when a foreign error carries one in its message', async () => {
    // Prepare
    const parsesEmail: Rule<PreSignUpEvent> = function parsesEmail(event) {
      JSON.parse(event.request.userAttributes.email ?? '');
      return 'pass';
    };
    const { handler, logger } = preSignUpHandler([parsesEmail]);

    // Act
    await handler(preSignUpEvent(), lambdaContext()).catch(() => undefined);

    // Assess
    expect(everythingLogged(logger)).not.toContain(testEmail.slice(0, 10));
  });
});

describe('Shared: createTriggerHandler (tracing)', () => {
  /** A Tracer that believes it runs in Lambda, with spies where it would talk to X-Ray. */
  function tracingTracer(parent: { addNewSubsegment: (name: string) => { close: () => void } } | undefined) {
    const tracer = new Tracer({ serviceName: 'test', enabled: false });
    vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    vi.spyOn(tracer, 'getSegment').mockReturnValue(parent as unknown as ReturnType<Tracer['getSegment']>);
    const setSegment = vi.spyOn(tracer, 'setSegment').mockImplementation(() => undefined);
    const annotateColdStart = vi.spyOn(tracer, 'annotateColdStart').mockImplementation(() => undefined);
    vi.spyOn(tracer, 'addServiceNameAnnotation').mockImplementation(() => undefined);
    const addErrorAsMetadata = vi.spyOn(tracer, 'addErrorAsMetadata').mockImplementation(() => undefined);
    return { tracer, setSegment, annotateColdStart, addErrorAsMetadata };
  }

  function fakeSegments() {
    const subsegment = { close: vi.fn() };
    const parent = { addNewSubsegment: vi.fn(() => subsegment) };
    return { parent, subsegment };
  }

  it('runs the invocation in a "## <Trigger>" subsegment, then restores the parent', async () => {
    // Prepare
    const { parent, subsegment } = fakeSegments();
    const { tracer, setSegment, annotateColdStart } = tracingTracer(parent);
    const { handler } = preSignUpHandler([passes], { tracer });

    // Act
    await handler(preSignUpEvent(), lambdaContext());

    // Assess
    expect(parent.addNewSubsegment).toHaveBeenCalledWith('## PreSignUp');
    expect(setSegment.mock.calls).toEqual([[subsegment], [parent]]);
    expect(subsegment.close).toHaveBeenCalledOnce();
    expect(annotateColdStart).toHaveBeenCalledOnce();
  });

  it('closes the subsegment and records the fault as metadata when a rule breaks', async () => {
    // Prepare
    const { parent, subsegment } = fakeSegments();
    const { tracer, addErrorAsMetadata } = tracingTracer(parent);
    const { handler } = preSignUpHandler([breaks], { tracer });

    // Act
    const error = await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect(subsegment.close).toHaveBeenCalledOnce();
    expect(addErrorAsMetadata).toHaveBeenCalledWith(expect.any(Error));
  });

  it('records a thrown non-Error as an Error in the metadata', async () => {
    // Prepare
    const { tracer, addErrorAsMetadata } = tracingTracer(fakeSegments().parent);
    const throwsNumber: Rule<PreSignUpEvent> = function throwsNumber() {
      throw 42;
    };
    const { handler } = preSignUpHandler([throwsNumber], { tracer });

    // Act
    await rejectionOf(handler(preSignUpEvent(), lambdaContext()));

    // Assess
    expect(addErrorAsMetadata).toHaveBeenCalledWith(expect.any(Error));
  });

  it('still answers when there is no parent segment to trace into', async () => {
    // Prepare
    const { tracer, setSegment } = tracingTracer(undefined);
    const { handler } = preSignUpHandler([passes], { tracer });
    const event = preSignUpEvent();

    // Act
    const result = await handler(event, lambdaContext());

    // Assess
    expect(result).toBe(event);
    expect(setSegment).not.toHaveBeenCalled();
  });
});

describe('Shared: coreOptionsFromEnv', () => {
  it.each([
    ['unset', {}, 'passthrough'],
    ['passthrough', { UNKNOWN_TRIGGER_SOURCE: 'passthrough' }, 'passthrough'],
    ['reject', { UNKNOWN_TRIGGER_SOURCE: 'reject' }, 'reject'],
  ])('reads UNKNOWN_TRIGGER_SOURCE %s', (_label, env, unknownSource) => {
    // Prepare (nothing beyond the environment)

    // Act
    const options = coreOptionsFromEnv(env);

    // Assess
    expect(options.unknownSource).toBe(unknownSource);
  });

  it('shadows no rule by default', () => {
    // Prepare
    const rules = [function blockThings() {}];

    // Act
    const options = coreOptionsFromEnv({}, rules);

    // Assess
    expect(options.shadow('blockThings')).toBe(false);
  });

  it('shadows every rule with RULES_MODE=shadow', () => {
    // Prepare
    const env = { RULES_MODE: 'shadow' };

    // Act
    const options = coreOptionsFromEnv(env, [function blockThings() {}]);

    // Assess
    expect(options.shadow('blockThings')).toBe(true);
  });

  it('shadows only the rules SHADOW_RULES names', () => {
    // Prepare
    const rules = [function blockThings() {}, function checkOther() {}];

    // Act
    const options = coreOptionsFromEnv({ SHADOW_RULES: 'checkOther' }, rules);

    // Assess
    expect([options.shadow('blockThings'), options.shadow('checkOther')]).toEqual([false, true]);
  });

  it('fails the cold start when SHADOW_RULES names a rule the function does not have', () => {
    // Prepare
    const env = { SHADOW_RULES: 'blockThigns' };

    // Act
    const read = () => coreOptionsFromEnv(env, [function blockThings() {}]);

    // Assess
    expect(read).toThrow(
      expect.objectContaining({
        variable: 'SHADOW_RULES',
        expected: 'a comma-separated list of rule names from: blockThings',
      }),
    );
  });

  it('refuses an unknown RULES_MODE', () => {
    // Prepare
    const env = { RULES_MODE: 'dry-run' };

    // Act
    const read = () => coreOptionsFromEnv(env);

    // Assess
    expect(read).toThrow(expect.objectContaining({ variable: 'RULES_MODE' }));
  });

  it('fails the cold start with a ConfigurationError naming the variable and its values', () => {
    // Prepare
    const env = { UNKNOWN_TRIGGER_SOURCE: 'ignore' };

    // Act
    const read = () => coreOptionsFromEnv(env);

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(
      expect.objectContaining({
        variable: 'UNKNOWN_TRIGGER_SOURCE',
        expected: 'one of "passthrough", "reject", "rules"',
      }),
    );
  });
});

describe('Shared: configureAtColdStart', () => {
  it('returns what the configuration builds', () => {
    // Prepare
    const build = () => ({ unknownSource: 'reject' });

    // Act
    const options = configureAtColdStart(build);

    // Assess
    expect(options).toEqual({ unknownSource: 'reject' });
  });

  it('turns a bad setting into SIGNUP_UNAVAILABLE, keeping the ConfigurationError as its cause', () => {
    // Prepare
    const build = () => coreOptionsFromEnv({ UNKNOWN_TRIGGER_SOURCE: 'ignore' });

    // Act
    let error: unknown;
    try {
      configureAtColdStart(build);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
    expect((error as Error).message).not.toContain('UNKNOWN_TRIGGER_SOURCE');
    expect((error as Error).cause).toMatchObject({
      name: 'ConfigurationError',
      variable: 'UNKNOWN_TRIGGER_SOURCE',
    });
  });
});
