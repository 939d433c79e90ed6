/**
 * The recorded-event library: finding event files, pairing each with its expectation, and the invariants
 * every pair keeps (docs/replay.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isCustomSenderTriggerSource } from '../shared/custom-sender/events.js';
import {
  isSourceSpelling,
  isTriggerSource,
  sourcesOfTrigger,
  TriggerName,
  triggerNameOf,
} from '../shared/trigger-source.js';
import type { Expectation } from './cognito-outcome.js';
import { FixtureError } from './errors.js';
import { fromProjectRoot } from './paths.js';

const EXPECTED_SUFFIX = '.expected.json';

/** `PreSignUp` -> `pre-sign-up`, `AdminCreateUser` -> `admin-create-user`. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The file-name prefix a trigger source must have: the kebab-case part after the underscore. */
export function fileSourceOf(triggerSource: string): string {
  return kebabCase(triggerSource.slice(triggerSource.indexOf('_') + 1));
}

/** Whether a path names an event file (not an expectation, not the env-vars file). */
export function isEventFile(path: string): boolean {
  const name = basename(path);
  return name.endsWith('.json') && !name.endsWith(EXPECTED_SUFFIX) && !/^env(\.[\w-]+)?\.json$/.test(name);
}

/** The expectation file that belongs to an event file. */
export function expectationPathOf(eventPath: string): string {
  return eventPath.replace(/\.json$/, EXPECTED_SUFFIX);
}

/** Every event file under the given files and folders, sorted, as absolute paths. */
export function findEventFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (path: string) => {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else if (isEventFile(path)) {
      found.add(resolve(path));
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new FixtureError(path, 'does not exist');
    walk(path);
  }
  return [...found].sort();
}

/** Reads a JSON file, naming the file when it is not JSON. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FixtureError(
      path,
      error instanceof SyntaxError ? `is not valid JSON (${error.message})` : 'cannot be read',
      {
        cause: error,
      },
    );
  }
}

/**
 * The env-vars file an expectation names, as a path: `./…` and `../…` are relative to the expectation's own
 * folder (a recording keeps working wherever it is moved), anything else to the project root
 * (`events/env.invite-only.json`).
 */
export function envVarsPathOf(expectationFile: string, envVars: string): string {
  return /^\.\.?[\\/]/.test(envVars) ? resolve(dirname(expectationFile), envVars) : fromProjectRoot(envVars);
}

/** Reads and checks an expectation file. */
export function readExpectation(path: string): Expectation {
  const value = readJsonFile(path) as Partial<Expectation> | null;
  if (typeof value !== 'object' || value === null) throw new FixtureError(path, 'is not an object');
  if (typeof value.description !== 'string' || value.description.trim() === '') {
    throw new FixtureError(path, 'needs a "description" sentence');
  }
  if (!Number.isInteger(value.attempts) || (value.attempts ?? 0) < 1)
    throw new FixtureError(path, 'needs "attempts" >= 1');
  if (
    value.envVars !== undefined &&
    (typeof value.envVars !== 'string' || !existsSync(envVarsPathOf(path, value.envVars)))
  ) {
    throw new FixtureError(
      path,
      '"envVars" must name an env-vars file relative to the project root, or to this file\'s folder (./ or ../)',
    );
  }
  if (value.needs !== undefined && (typeof value.needs !== 'string' || value.needs.trim() === '')) {
    throw new FixtureError(path, '"needs" must say in words what live answer the outcome rested on');
  }
  const outcome = value.cognito?.outcome;
  if (outcome !== 'success' && outcome !== 'error')
    throw new FixtureError(path, 'needs cognito.outcome "success" or "error"');
  return value as Expectation;
}

// AWS's sample test events are recorded as AWS prints them, which may mean a list of sources in
// `triggerSource`: such a file is named after the source it illustrates, as an `aws-sample` scenario.
const AWS_SAMPLE_SCENARIO = /^aws-sample(?:-[a-z0-9]+)*$/;

/**
 * Whether `path` records one of AWS's sample events whose `triggerSource` lists several sources of one
 * trigger (`CustomMessage_SignUp/CustomMessage_ResendCode/…`): the scenario is `aws-sample…`, the file name
 * starts with a source of the folder's trigger, and the list's sources belong to that trigger (the replay
 * engine picks the function from them).
 */
export function isAwsSampleFixture(path: string, source: unknown): boolean {
  const [prefix, scenario] = basename(path).split('.');
  const trigger = triggerOfFixtureFolder(path);
  if (trigger === undefined || scenario === undefined || !AWS_SAMPLE_SCENARIO.test(scenario)) return false;
  if (!sourcesOfTrigger[trigger].some((known) => fileSourceOf(known) === prefix)) return false;
  // The developer guide's shortest samples are `{ request, response }` with no envelope at all.
  if (source === undefined) return true;
  return typeof source === 'string' && !isSourceSpelling(source) && triggerNameOf(source) === trigger;
}

/** The trigger whose folder holds `path` (`events/pre-sign-up/…` -> `PreSignUp`), if any. */
export function triggerOfFixtureFolder(path: string): TriggerName | undefined {
  return Object.values(TriggerName).find((name) => kebabCase(name) === basename(dirname(path)));
}

/** The folder of each custom sender's events (harness/sender-replay.ts replays them). */
export const SENDER_FOLDERS: Readonly<Record<string, string>> = {
  CustomEmailSender: 'custom-email-sender',
  CustomSMSSender: 'custom-sms-sender',
};

/** Whether `path` is in a custom sender's event folder. */
export function isSenderFixture(path: string): boolean {
  return Object.values(SENDER_FOLDERS).includes(basename(dirname(path)));
}

/** One broken invariant of the library. */
export type FixtureProblem = { file: string; problem: string };

/**
 * The invariants of an event library: every event has an expectation and vice versa; each event's
 * `triggerSource` is a known source that matches its file name and its folder, or the event is one of AWS's
 * samples named as {@link isAwsSampleFixture} says.
 */
export function checkFixtureInvariants(root: string): FixtureProblem[] {
  const problems: FixtureProblem[] = [];
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  const files = walk(root).filter((path) => path.endsWith(EXPECTED_SUFFIX) || isEventFile(path));
  const rel = (path: string) => relative(root, path);
  for (const path of files) {
    if (path.endsWith(EXPECTED_SUFFIX)) {
      const eventPath = `${path.slice(0, -EXPECTED_SUFFIX.length)}.json`;
      if (!existsSync(eventPath)) problems.push({ file: rel(path), problem: 'expectation without an event' });
      continue;
    }
    if (!existsSync(expectationPathOf(path)))
      problems.push({ file: rel(path), problem: 'event without an expectation' });
    let source: unknown;
    try {
      source = (readJsonFile(path) as { triggerSource?: unknown } | null)?.triggerSource;
    } catch (error) {
      problems.push({ file: rel(path), problem: (error as Error).message });
      continue;
    }
    if (isAwsSampleFixture(path, source)) continue;
    const senderFolder =
      typeof source === 'string' ? SENDER_FOLDERS[source.slice(0, source.indexOf('_'))] : undefined;
    if (senderFolder !== undefined) {
      // A custom sender's event (harness/sender-replay.ts): a documented source, or one AWS may add later.
      if (basename(dirname(path)) !== senderFolder) {
        problems.push({
          file: rel(path),
          problem: `triggerSource ${String(source)} belongs in a folder named ${senderFolder}`,
        });
      }
      const prefix = `${fileSourceOf(String(source))}.`;
      if (isCustomSenderTriggerSource(source) && !basename(path).startsWith(prefix)) {
        problems.push({
          file: rel(path),
          problem: `triggerSource ${String(source)} needs a file name starting "${prefix}"`,
        });
      }
      continue;
    }
    if (!isTriggerSource(source)) {
      problems.push({
        file: rel(path),
        problem: `triggerSource ${JSON.stringify(source)} is not a known source`,
      });
      continue;
    }
    const expectedPrefix = `${fileSourceOf(source)}.`;
    if (!basename(path).startsWith(expectedPrefix)) {
      problems.push({
        file: rel(path),
        problem: `triggerSource ${source} needs a file name starting "${expectedPrefix}"`,
      });
    }
    const trigger = triggerNameOf(source);
    if (trigger !== undefined && basename(dirname(path)) !== kebabCase(trigger)) {
      problems.push({
        file: rel(path),
        problem: `triggerSource ${source} belongs in a folder named ${kebabCase(trigger)}`,
      });
    }
  }
  return problems;
}
