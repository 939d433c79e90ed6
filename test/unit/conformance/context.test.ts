import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  at,
  cognitoClientFor,
  eventOf,
  outcomeOf,
  type SuiteContext,
  secretHashOf,
  shownOutcome,
  sourcesOf,
  suiteContext,
} from '../../../conformance/context.js';
import { type ProbeCall, type ProbeLambda, probeKeyOf } from '../../../conformance/probe-lambda.js';
import { stableText } from '../../../conformance/scorecard.js';

/** A recorded probe call with `event`; the rest as the probe would fill it. */
function call(event: unknown, trigger: ProbeCall['trigger'] = 'Other'): ProbeCall {
  return {
    sequence: 1,
    functionName: 'conformance-probe',
    trigger,
    key: probeKeyOf(event),
    event,
    invocationType: 'RequestResponse',
    receivedAt: 0,
  };
}

/** A probe that records nothing: suiteContext only hands it on. */
const IDLE_PROBE: ProbeLambda = {
  url: 'http://127.0.0.1:1',
  script: () => undefined,
  callsOf: () => [],
  calls: () => [],
  close: async () => undefined,
};

const POOL = {
  userPoolId: 'us-east-1_AbCdEf123',
  publicClientId: '5r2dc1q9ls0o8v8dj0ltnqbn0a',
  legacyClientId: '1h57kf5cpq17m0eml12ek4eu4l',
  confidentialClientId: '7v2g1m0e4l3d6c9b8a5j2k1h0g',
  confidentialClientSecret: '1example23456789secret0abcdefghijklmnopqrstuvwxyz1',
};

/** A context of a run against an endpoint nobody calls here. */
function newContext(): SuiteContext {
  return suiteContext({
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    cognito: cognitoClientFor('http://127.0.0.1:1', 'us-east-1'),
    probe: IDLE_PROBE,
    pool: POOL,
    messages: undefined,
  });
}

describe('Conformance: at', () => {
  it('reads the value at a path of object keys', () => {
    // Prepare
    const event = { request: { userAttributes: { email: 'k1.a@example.com' } } };

    // Act
    const email = at(event, 'request', 'userAttributes', 'email');

    // Assess
    expect(email).toBe('k1.a@example.com');
  });

  it('gives the value itself for an empty path', () => {
    // Prepare
    const value = { a: 1 };

    // Act
    const found = at(value);

    // Assess
    expect(found).toBe(value);
  });

  it.each([
    ['a missing step', { request: {} }, ['request', 'userAttributes', 'email']],
    ['a step through a string', { request: 'text' }, ['request', 'length']],
    ['a step through null', { request: null }, ['request', 'userAttributes']],
    ['a step into an array', { list: ['first'] }, ['list', '0']],
    ['an inherited member', {}, ['constructor']],
    ['the prototype', {}, ['__proto__']],
    ['a value that is not an object', 'text', ['length']],
  ])('gives undefined for %s', (_case, value, path) => {
    // Prepare
    const steps = path;

    // Act
    const found = at(value, ...steps);

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('Conformance: eventOf', () => {
  it('gives the event of the first call with the trigger source', () => {
    // Prepare
    const first = { triggerSource: 'CustomMessage_SignUp', n: 1 };
    const second = { triggerSource: 'CustomMessage_SignUp', n: 2 };
    const calls = [call({ triggerSource: 'PreSignUp_SignUp' }), call(first), call(second)];

    // Act
    const event = eventOf(calls, 'CustomMessage_SignUp');

    // Assess
    expect(event).toBe(first);
  });

  it('gives undefined when no call had the trigger source', () => {
    // Prepare
    const calls = [call({ triggerSource: 'PreSignUp_SignUp' }), call('not json')];

    // Act
    const event = eventOf(calls, 'PostConfirmation_ConfirmSignUp');

    // Assess
    expect(event).toBeUndefined();
  });
});

describe('Conformance: sourcesOf', () => {
  it('lists the trigger sources in order, the trigger in brackets where the event names none', () => {
    // Prepare
    const calls = [
      call({ triggerSource: 'PreSignUp_SignUp' }, 'PreSignUp'),
      call('not json', 'Other'),
      call(null, 'Other'),
      call({ triggerSource: 42 }, 'Other'),
      call({ triggerSource: 'PostConfirmation_ConfirmSignUp' }, 'PostConfirmation'),
    ];

    // Act
    const sources = sourcesOf(calls);

    // Assess
    expect(sources).toEqual([
      'PreSignUp_SignUp',
      '(Other)',
      '(Other)',
      '(Other)',
      'PostConfirmation_ConfirmSignUp',
    ]);
  });
});

describe('Conformance: outcomeOf', () => {
  it('keeps the answer of a call that succeeds, and how long it took', async () => {
    // Prepare
    const answer = { UserSub: 'a1b2c3d4-0000-4000-8000-000000000001' };

    // Act
    const outcome = await outcomeOf(async () => answer);

    // Assess
    expect(outcome).toEqual({ ok: true, value: answer, ms: expect.any(Number) });
    expect(outcome.ms).toBeGreaterThanOrEqual(0);
  });

  it('keeps the name and message of an error, as the SDK names a service exception', async () => {
    // Prepare
    class UsernameExistsException extends Error {
      public override readonly name = 'UsernameExistsException';
    }

    // Act
    const outcome = await outcomeOf(async () => {
      throw new UsernameExistsException('User already exists');
    });

    // Assess
    expect(outcome).toEqual({
      ok: false,
      name: 'UsernameExistsException',
      message: 'User already exists',
      ms: expect.any(Number),
    });
    expect(shownOutcome(outcome)).toBe('UsernameExistsException: User already exists');
  });

  it('reads a thrown value that is not an Error as an Error with its text', async () => {
    // Prepare
    const thrown = 'socket hang up';

    // Act
    const outcome = await outcomeOf(() => Promise.reject(thrown));

    // Assess
    expect(outcome).toMatchObject({ ok: false, name: 'Error', message: 'socket hang up' });
  });

  it('shows a success as success', async () => {
    // Prepare
    const outcome = await outcomeOf(async () => 'anything');

    // Act
    const shown = shownOutcome(outcome);

    // Assess
    expect(shown).toBe('success');
  });
});

describe('Conformance: secretHashOf', () => {
  /** AWS's recipe, written out independently: Base64(HMAC-SHA256(key = client secret, username + client id)). */
  function awsSecretHash(username: string, clientId: string, secret: string): string {
    const hmac = createHmac('sha256', Buffer.from(secret, 'utf8'));
    hmac.update(Buffer.from(username + clientId, 'utf8'));
    return hmac.digest().toString('base64');
  }

  it('computes the hash AWS documents', () => {
    // Prepare
    const username = 'p1abcdef.sign-up@example.com';

    // Act
    const hash = secretHashOf(username, POOL.confidentialClientId, POOL.confidentialClientSecret);

    // Assess
    expect(hash).toBe(awsSecretHash(username, POOL.confidentialClientId, POOL.confidentialClientSecret));
  });

  it('agrees with the recipe for any user name, client id and secret', () => {
    // Prepare
    const texts = fc.string({ unit: 'grapheme', maxLength: 60 });
    const secrets = fc.string({ minLength: 1, maxLength: 60 });

    // Act
    const property = fc.property(texts, texts, secrets, (username, clientId, secret) => {
      return secretHashOf(username, clientId, secret) === awsSecretHash(username, clientId, secret);
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('gives a different hash when the user name and client id are swapped', () => {
    // Prepare
    const secret = POOL.confidentialClientSecret;

    // Act
    const right = secretHashOf('jane@example.com', 'client', secret);
    const swapped = secretHashOf('client', 'jane@example.com', secret);

    // Assess
    expect(right).not.toBe(swapped);
    expect(Buffer.from(right, 'base64')).toHaveLength(32);
  });
});

describe('Conformance: suiteContext', () => {
  it('hands on the parts it was given', () => {
    // Prepare
    const context = newContext();

    // Act
    const parts = [context.endpoint, context.region, context.pool, context.probe, context.messages];

    // Assess
    expect(parts[0]).toBe('http://127.0.0.1:1');
    expect(parts[1]).toBe('us-east-1');
    expect(parts[2]).toBe(POOL);
    expect(parts[3]).toBe(IDLE_PROBE);
    expect(parts[4]).toBeUndefined();
  });

  it('gives every new user its own key, leading its email, that the probe reads back', () => {
    // Prepare
    const context = newContext();

    // Act
    const users = Array.from({ length: 50 }, () => context.newUser('sign-up'));

    // Assess
    expect(new Set(users.map((user) => user.key)).size).toBe(users.length);
    for (const user of users) {
      expect(user.email).toBe(`${user.key}.sign-up@example.com`);
      expect(probeKeyOf({ request: { userAttributes: { email: user.email } } })).toBe(user.key);
    }
  });

  it('finds the key for any label', () => {
    // Prepare
    const context = newContext();

    // Act
    const property = fc.property(fc.string({ maxLength: 30 }), (label) => {
      const user = context.newUser(label);
      return (
        user.email.startsWith(`${user.key}.`) &&
        probeKeyOf({ request: { userAttributes: { email: user.email } } }) === user.key
      );
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });

  it('gives keys that the scorecard makes stable', () => {
    // Prepare
    const context = newContext();
    const user = context.newUser('sign-up');

    // Act
    const stable = stableText(`${user.email} was refused`, POOL);

    // Assess
    expect(stable).toBe('<key>.sign-up@example.com was refused');
  });

  it("gives a password that meets the suite pool's policy", () => {
    // Prepare
    const context = newContext();

    // Act
    const { password } = context.newUser('sign-up');

    // Assess
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
  });

  it('runs a scenario once and gives every caller the same promise', async () => {
    // Prepare
    const context = newContext();
    let runs = 0;
    const scenario = async () => {
      runs += 1;
      return { run: runs };
    };

    // Act
    const first = context.once(scenario);
    const second = context.once(scenario);
    const results = await Promise.all([first, second]);

    // Assess
    expect(second).toBe(first);
    expect(runs).toBe(1);
    expect(results[0]).toBe(results[1]);
  });

  it('runs each distinct scenario, handing it the context', async () => {
    // Prepare
    const context = newContext();
    const seen: SuiteContext[] = [];
    const one = async (given: SuiteContext) => {
      seen.push(given);
      return 'one';
    };
    const two = async (given: SuiteContext) => {
      seen.push(given);
      return 'two';
    };

    // Act
    const results = await Promise.all([context.once(one), context.once(two)]);

    // Assess
    expect(results).toEqual(['one', 'two']);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(context);
    expect(seen[1]).toBe(context);
  });

  it('shares a failed scenario instead of running it again', async () => {
    // Prepare
    const context = newContext();
    let runs = 0;
    const scenario = async () => {
      runs += 1;
      throw new Error('endpoint refused');
    };

    // Act
    const outcomes = await Promise.allSettled([context.once(scenario), context.once(scenario)]);

    // Assess
    expect(runs).toBe(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('keeps scenarios apart between runs', async () => {
    // Prepare
    const first = newContext();
    const second = newContext();
    let runs = 0;
    const scenario = async () => {
      runs += 1;
      return runs;
    };

    // Act
    const results = await Promise.all([first.once(scenario), second.once(scenario)]);

    // Assess
    expect(results).toEqual([1, 2]);
  });
});
