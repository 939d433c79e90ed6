import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CANDIDATES,
  type Candidate,
  METRICS_COMPARISONS,
  REFERENCE,
  selectCandidates,
} from '../../../bench/candidates.js';
import { BenchUsageError } from '../../../bench/options.js';
import { PROJECT_ROOT as ROOT } from '../../../harness/paths.js';
import { loadTemplate } from '../../../harness/template.js';

function candidate(id: string): Candidate {
  return { id, label: id, function: 'PreSignUpFunction', event: 'pre-sign-up/x.json' };
}

const ALL = [
  { id: REFERENCE.node, label: 'node' },
  candidate(REFERENCE.bare),
  candidate('a'),
  candidate('b'),
];

describe('Bench: CANDIDATES', () => {
  it('names every candidate with a unique kebab-case id', () => {
    // Prepare
    const ids = CANDIDATES.map((item) => item.id);

    // Act
    const malformed = ids.filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));

    // Assess
    expect({ malformed, unique: new Set(ids).size }).toEqual({ malformed: [], unique: ids.length });
  });

  it('holds both references', () => {
    // Prepare
    const ids = new Set(CANDIDATES.map((item) => item.id));

    // Act
    const missing = Object.values(REFERENCE).filter((id) => !ids.has(id));

    // Assess
    expect(missing).toEqual([]);
  });

  it('points every candidate at a template function, an existing event and an existing entry', () => {
    // Prepare
    const template = loadTemplate();
    const functions = new Set(
      [...template.functions, ...template.senderFunctions].map((spec) => spec.logicalId),
    );

    // Act
    const problems = CANDIDATES.filter((item) => item.id !== REFERENCE.node).flatMap((item) => [
      ...(item.function !== undefined && functions.has(item.function) ? [] : [`${item.id}: function`]),
      ...(item.event !== undefined && existsSync(join(ROOT, 'events', item.event))
        ? []
        : [`${item.id}: event`]),
      ...(item.entry === undefined || existsSync(join(ROOT, item.entry)) ? [] : [`${item.id}: entry`]),
    ]);

    // Assess
    expect(problems).toEqual([]);
  });

  it('sets only variables its template function declares, so a misspelt one cannot measure nothing', () => {
    // Prepare
    const functions = new Map(loadTemplate().functions.map((spec) => [spec.logicalId, spec]));

    // Act
    const undeclared = CANDIDATES.flatMap((item) => {
      const spec = item.function === undefined ? undefined : functions.get(item.function);
      const declared = new Set([...Object.keys(spec?.environment ?? {}), ...(spec?.unresolved ?? [])]);
      return Object.keys(item.env ?? {})
        .filter((name) => !declared.has(name))
        .map((name) => `${item.id}: ${name}`);
    });

    // Assess
    expect(undeclared).toEqual([]);
  });
});

describe('Bench: selectCandidates', () => {
  it('keeps every candidate when none is named', () => {
    // Prepare
    const only: string[] = [];

    // Act
    const selected = selectCandidates(ALL, only);

    // Assess
    expect(selected.map((item) => item.id)).toEqual(['node', 'bare-handler', 'a', 'b']);
  });

  it('keeps the named candidates and both references, in list order', () => {
    // Prepare
    const only = ['b'];

    // Act
    const selected = selectCandidates(ALL, only);

    // Assess
    expect(selected.map((item) => item.id)).toEqual(['node', 'bare-handler', 'b']);
  });

  it('refuses an unknown id with a BenchUsageError', () => {
    // Prepare
    const only = ['c'];

    // Act
    const act = () => selectCandidates(ALL, only);

    // Assess
    expect(act).toThrow(BenchUsageError);
  });
});

describe('Bench: METRICS_COMPARISONS', () => {
  it('pairs candidates that exist, each used once', () => {
    // Prepare
    const ids = new Set(CANDIDATES.map((item) => item.id));

    // Act
    const paired = METRICS_COMPARISONS.flatMap(({ on, off }) => [on, off]);

    // Assess
    expect({ missing: paired.filter((id) => !ids.has(id)), unique: new Set(paired).size }).toEqual({
      missing: [],
      unique: paired.length,
    });
  });

  it('pairs each function as shipped with the same run and METRICS_ENABLED=false, nothing else', () => {
    // Prepare
    const byId = new Map(CANDIDATES.map((item) => [item.id, item]));
    const functions = METRICS_COMPARISONS.filter((comparison) => comparison.target);

    // Act
    const differences = functions.map(({ on, off }) => {
      const shipped = byId.get(on);
      const switchedOff = byId.get(off);
      return {
        shipped: shipped?.env,
        offEnv: switchedOff?.env,
        same:
          [shipped?.function, shipped?.event, shipped?.entry].join() ===
          [switchedOff?.function, switchedOff?.event, switchedOff?.entry].join(),
      };
    });

    // Assess
    expect({ shipped: functions.map(({ on }) => on), differences }).toEqual({
      shipped: ['pre-sign-up', 'custom-message'],
      differences: functions.map(() => ({
        shipped: undefined,
        offEnv: { METRICS_ENABLED: 'false' },
        same: true,
      })),
    });
  });

  it('measures the library by itself against the Logger + Tracer baseline, outside the target', () => {
    // Prepare
    const library = METRICS_COMPARISONS.filter((comparison) => !comparison.target);

    // Act
    const pairs = library.map(({ on, off }) => [on, off]);

    // Assess
    expect(pairs).toEqual([['logger-tracer-metrics', 'logger-tracer']]);
  });
});
