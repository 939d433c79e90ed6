import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoopbackServices } from '../../../bench/loopback-services.js';
import { SdkDesign } from '../../../bench/sdk-designs.js';
import { SHARE_GROUPS, shareRows } from '../../../bench/share-scenarios.js';
import { PROJECT_ROOT as ROOT } from '../../../harness/paths.js';
import { loadTemplate } from '../../../harness/template.js';

/** What the scenarios read from the running services; nothing is started. */
const SERVICES: LoopbackServices = {
  awsEnvironment: { AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: 'local' },
  poolId: 'local_pool',
  failureQueueUrl: 'http://127.0.0.1:1/123456789012/failures',
  captchaVerifyUrl: 'http://127.0.0.1:2/turnstile/v0/siteverify',
  confirmedSignUpEvent: () => Promise.reject(new Error('not started')),
  effects: () => Promise.reject(new Error('not started')),
  stop: () => Promise.resolve(),
};

describe('Bench: SHARE_GROUPS', () => {
  it('names every row with a unique kebab-case id', () => {
    // Prepare
    const ids = shareRows().map((row) => row.id);

    // Act
    const malformed = ids.filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));

    // Assess
    expect({ malformed, unique: new Set(ids).size }).toEqual({ malformed: [], unique: ids.length });
  });

  it('gives every group a measured baseline and a shipped row of its own', () => {
    // Prepare
    const ids = new Set(shareRows().map((row) => row.id));

    // Act
    const problems = SHARE_GROUPS.flatMap((group) => [
      ...(ids.has(group.baseline) ? [] : [`${group.id}: baseline ${group.baseline}`]),
      ...(group.rows.some((row) => row.id === group.shipped)
        ? []
        : [`${group.id}: shipped ${group.shipped}`]),
    ]);

    // Assess
    expect(problems).toEqual([]);
  });

  it('compares the three SDK designs of each function that calls out', () => {
    // Prepare
    const callingOut = SHARE_GROUPS.filter((group) => group.rows.some((row) => row.callsOut));

    // Act
    const designs = callingOut.map((group) => ({
      group: group.id,
      designs: group.rows.filter((row) => row.entry === undefined).map((row) => row.design),
    }));

    // Assess
    expect(designs).toEqual([
      { group: 'post-confirmation', designs: [SdkDesign.Lazy, SdkDesign.Init, SdkDesign.Commands] },
      { group: 'pre-sign-up-calls-out', designs: [SdkDesign.Lazy, SdkDesign.Init, SdkDesign.Commands] },
    ]);
  });

  it('points every row at a template function, an existing event and an existing entry', () => {
    // Prepare
    const template = loadTemplate();
    const functions = new Set(
      [...template.functions, ...template.senderFunctions].map((spec) => spec.logicalId),
    );

    // Act
    const problems = shareRows().flatMap((row) => [
      ...(functions.has(row.function) ? [] : [`${row.id}: function`]),
      ...(row.event.kind === 'confirmed-sign-up' || existsSync(join(ROOT, 'events', row.event.file))
        ? []
        : [`${row.id}: event`]),
      ...(row.entry === undefined || existsSync(join(ROOT, row.entry)) ? [] : [`${row.id}: entry`]),
    ]);

    // Assess
    expect(problems).toEqual([]);
  });

  it('sets only variables its function declares or the AWS SDK reads, so a misspelt one cannot measure nothing', () => {
    // Prepare
    const functions = new Map(loadTemplate().functions.map((spec) => [spec.logicalId, spec]));

    // Act
    const undeclared = shareRows().flatMap((row) => {
      const spec = functions.get(row.function);
      const declared = new Set([...Object.keys(spec?.environment ?? {}), ...(spec?.unresolved ?? [])]);
      return Object.keys(row.env?.(SERVICES) ?? {})
        .filter((name) => !declared.has(name) && !name.startsWith('AWS_'))
        .map((name) => `${row.id}: ${name}`);
    });

    // Assess
    expect(undeclared).toEqual([]);
  });

  it('lets only the rows that call out need the loopback services (a sender row has its own stand-in)', () => {
    // Prepare
    const rows = shareRows();

    // Act
    const mismatched = rows
      .filter((row) => row.callsOut !== (row.event.kind !== 'recorded' && row.event.kind !== 'sender'))
      .map((row) => row.id);

    // Assess
    expect(mismatched).toEqual([]);
  });
});
