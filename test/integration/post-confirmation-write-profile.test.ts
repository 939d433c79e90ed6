/**
 * The writeProfile action against dynalite: the action's own SDK client (lazy, with its timeouts and
 * retries) writes to a real DynamoDB API. Retry proof (contract §4, §6): the same confirmation run three
 * times, then twice at once, leaves exactly one item, never overwritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyDynamoDbClient } from '../../shared/dynamodb-client.js';
import { PROFILE_KEY, writeProfile } from '../../triggers/post-confirmation/actions/write-profile.js';
import { postConfirmationEvent, ruleContext, testEmail, testSub } from '../support/builders.js';
import { type DynaliteServer, dynaliteCredentials, startDynaliteServer } from '../support/dynalite-server.js';

const FIRST_WRITE = new Date('2026-01-01T00:00:00.000Z');

describe('Trigger: post-confirmation writeProfile against dynalite', () => {
  let server: DynaliteServer;
  let tables = 0;

  beforeAll(async () => {
    server = await startDynaliteServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function newTable(): Promise<string> {
    tables += 1;
    const name = `Profiles-${tables}`;
    await server.createTable(name, PROFILE_KEY);
    return name;
  }

  function action(tableName: string, now: Date = FIRST_WRITE) {
    return writeProfile(
      { tableName, plans: ['free', 'pro'] },
      {
        dynamodb: lazyDynamoDbClient({
          endpoint: server.endpoint,
          credentials: dynaliteCredentials,
          region: 'us-east-1',
        }),
        clock: () => now,
      },
    );
  }

  it('creates the item with the allowlisted attributes and the schema-valid metadata', async () => {
    // Prepare
    const tableName = await newTable();
    const event = postConfirmationEvent({
      request: { clientMetadata: { plan: 'pro', referral: 'FRIEND-42', marketingConsent: 'true', x: 'y' } },
    });

    // Act
    const outcome = await action(tableName)(event, ruleContext());

    // Assess
    expect(outcome).toBe('done');
    expect(await server.itemsOf(tableName)).toEqual([
      {
        sub: { S: testSub },
        email: { S: testEmail },
        email_verified: { S: 'true' },
        plan: { S: 'pro' },
        referral: { S: 'FRIEND-42' },
        marketingConsent: { BOOL: true },
        userName: { S: event.userName },
        createdAt: { S: FIRST_WRITE.toISOString() },
      },
    ]);
  });

  it('leaves exactly one item, never overwritten, after three replays and two concurrent runs', async () => {
    // Prepare
    const tableName = await newTable();
    const first = postConfirmationEvent({ request: { clientMetadata: { plan: 'pro' } } });
    // A replay that differs (a later clock, another plan) shows an overwrite if one happens.
    const replay = postConfirmationEvent({ request: { clientMetadata: { plan: 'free' } } });
    const later = new Date('2026-06-01T00:00:00.000Z');
    const outcomes: string[] = [];

    // Act
    outcomes.push(await action(tableName)(first, ruleContext()));
    const replayed = action(tableName, later);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      outcomes.push(await replayed(structuredClone(replay), ruleContext()));
    }
    outcomes.push(
      ...(await Promise.all([
        replayed(structuredClone(replay), ruleContext()),
        action(tableName, later)(structuredClone(replay), ruleContext()),
      ])),
    );

    // Assess
    const items = await server.itemsOf(tableName);
    expect(items).toHaveLength(1);
    expect(items[0]?.plan).toEqual({ S: 'pro' });
    expect(items[0]?.createdAt).toEqual({ S: FIRST_WRITE.toISOString() });
    expect(outcomes).toEqual(['done', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('creates exactly one item when two first runs race', async () => {
    // Prepare
    const tableName = await newTable();
    const event = postConfirmationEvent();

    // Act
    const outcomes = await Promise.all([
      action(tableName)(structuredClone(event), ruleContext()),
      action(tableName)(structuredClone(event), ruleContext()),
    ]);

    // Assess
    expect(await server.itemsOf(tableName)).toHaveLength(1);
    expect(outcomes.sort()).toEqual(['done', 'skipped']);
  });
});
