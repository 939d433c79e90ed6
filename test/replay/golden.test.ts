/**
 * The golden suite: every recorded event under events/ replays to the outcome recorded beside it, both
 * in this process (the sources) and as the built bundles in child processes (what `sam build` ships).
 */
import { relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attemptMetricsProblems } from '../../harness/emf.js';
import {
  checkFixtureInvariants,
  fileSourceOf,
  findEventFiles,
  isSenderFixture,
  kebabCase,
  SENDER_FOLDERS,
  triggerOfFixtureFolder,
} from '../../harness/fixtures.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { createReplayer } from '../../harness/replay.js';
import { createSenderReplayer } from '../../harness/sender-replay.js';
import { type CoreTriggerName, sourcesOfCoreTrigger } from '../../shared/core-trigger.js';
import { DEFAULT_METRICS_NAMESPACE } from '../../shared/metrics.js';
import { TRIGGERS } from '../../triggers/registry.js';

const EVENTS = `${PROJECT_ROOT}/events`;
const all = findEventFiles([EVENTS]);
// The custom senders' events replay through harness/sender-replay.ts (below), the rest through the Cognito simulation.
const files = all.filter((file) => !isSenderFixture(file)).map((file) => relative(PROJECT_ROOT, file));
const senderFiles = all.filter(isSenderFixture).map((file) => relative(PROJECT_ROOT, file));

describe('Fixtures: invariants of events/', () => {
  it('holds events for every source of every trigger (triggers/registry.ts)', () => {
    // Prepare
    const sources = new Set(files.map((file) => file.split('/').slice(1).join('/').split('.')[0]));
    const expected = Object.values(TRIGGERS).flatMap((trigger) =>
      trigger.sources.map((source) => `${kebabCase(trigger.name)}/${fileSourceOf(source)}`),
    );

    // Act
    const missing = expected.filter((source) => !sources.has(source));

    // Assess
    expect(expected.length).toBeGreaterThanOrEqual(12);
    expect(missing).toEqual([]);
  });

  it('pairs every event with an expectation, and names each after its triggerSource', () => {
    // Prepare
    const root = EVENTS;

    // Act
    const problems = checkFixtureInvariants(root);

    // Assess
    expect(problems).toEqual([]);
  });
});

describe.each([
  ['in-process', 'in-process'],
  ['built bundles', 'bundle'],
] as const)('Replay: events/ (%s)', (_title, mode) => {
  // The functions' own log lines (their metrics documents among them) are captured in bundle mode, and their
  // metrics checked there; in this process, where stdout is shared, both are off.
  const environment: Record<string, string> =
    mode === 'bundle'
      ? { POWERTOOLS_LOG_LEVEL: 'SILENT' }
      : { POWERTOOLS_LOG_LEVEL: 'SILENT', METRICS_ENABLED: 'false' };
  const replayer = createReplayer({ mode, environment });
  afterAll(() => replayer.close());

  it.each(files)('%s', async (file) => {
    // Prepare
    const path = `${PROJECT_ROOT}/${file}`;

    // Act
    const result = await replayer.replayFixture(path);

    // Assess
    expect(result.expected, 'a .expected.json beside the event').toBeDefined();
    expect(result.actual).toEqual({ attempts: result.expected?.attempts, cognito: result.expected?.cognito });
    if (mode === 'bundle') {
      // One valid metrics document per attempt, saying what the attempt did (docs/metrics.md).
      const trigger = triggerOfFixtureFolder(path) ?? 'a trigger folder';
      const problems = result.invocations.map((attempt) =>
        attemptMetricsProblems(trigger, DEFAULT_METRICS_NAMESPACE, attempt),
      );
      expect(problems).toEqual(result.invocations.map(() => []));
    }
  });
});

describe("Replay: the custom senders' events (built bundles, harness/sender-replay.ts)", () => {
  const replayer = createSenderReplayer({ environment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
  afterAll(() => replayer.close());

  it('holds events for every documented source of both senders', () => {
    // Prepare
    const present = new Set(senderFiles.map((file) => file.split('/').slice(1).join('/').split('.')[0]));

    // Act
    const missing = Object.entries(SENDER_FOLDERS)
      .flatMap(([trigger, folder]) =>
        sourcesOfCoreTrigger[trigger as CoreTriggerName].map((source) => `${folder}/${fileSourceOf(source)}`),
      )
      .filter((source) => !present.has(source));

    // Assess
    expect(missing).toEqual([]);
  });

  it.each(senderFiles)('%s', async (file) => {
    // Act
    const result = await replayer.replayFixture(`${PROJECT_ROOT}/${file}`);

    // Assess
    expect(result.expected, 'a .expected.json beside the event').toBeDefined();
    expect(result.actual).toEqual(result.expected?.outcome);
  });
});
