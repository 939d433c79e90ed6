/**
 * The scorecard of a run: per flow and per check, as Markdown (docs/conformance.md holds the committed ones),
 * and the comparison with a target's expected failures.
 *
 * Texts are made stable before they are shown: the run's pool and client ids, the probe users' keys and subs
 * become `<pool id>`, `<client id>`, `<key>` and `<sub>`, so two runs of the same endpoint give the same card.
 */
import { Flow, type Flow as FlowType, Status } from './check.js';
import type { ConformancePool } from './context.js';
import type { CheckResult } from './suite.js';

/** Where the committed scorecards are (scripts/conformance-scorecards.ts writes them). */
export const SCORECARD_DOC = 'docs/conformance-scorecard.md';

/** A target's known differences: check id -> why it fails there. */
export type ExpectedFailures = Readonly<Record<string, string>>;

/** How a run compares with the expected failures. */
export type Expectations = {
  /** Failed, not expected to. */
  unexpected: CheckResult[];
  /** Expected to fail, and did not (the list is out of date). */
  fixed: CheckResult[];
  /** Listed but no such check (the list is out of date). */
  unknownIds: string[];
};

/**
 * Compares `results` with `expected`.
 *
 * @example
 * const { unexpected, fixed } = compareWithExpected(run.results, COGNITO_LOCAL_EXPECTED_FAILURES);
 */
export function compareWithExpected(
  results: readonly CheckResult[],
  expected: ExpectedFailures,
): Expectations {
  const ids = new Set(results.map((result) => result.id));
  return {
    unexpected: results.filter(
      (result) => result.status === Status.Fail && !Object.hasOwn(expected, result.id),
    ),
    fixed: results.filter((result) => result.status !== Status.Fail && Object.hasOwn(expected, result.id)),
    unknownIds: Object.keys(expected).filter((id) => !ids.has(id)),
  };
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const PROBE_KEY = /\bp\d+[0-9a-f]{6}\b/g;

/** `text` with the run's ids and keys replaced by stable names. */
export function stableText(text: string, pool: ConformancePool): string {
  let stable = text.replace(UUID, '<sub>').replace(PROBE_KEY, '<key>');
  const names: [string, string][] = [
    [pool.userPoolId, '<pool id>'],
    [pool.publicClientId, '<client id>'],
    [pool.legacyClientId, '<legacy client id>'],
    [pool.confidentialClientId, '<confidential client id>'],
  ];
  for (const [id, name] of names) if (id !== '') stable = stable.replaceAll(id, name);
  return stable;
}

/** Counts of each status, per flow and in all. */
export type Tally = Record<Status, number>;

/** The tally of `results` (of one flow when `flow` is given). */
export function tallyOf(results: readonly CheckResult[], flow?: FlowType): Tally {
  const tally: Tally = { pass: 0, fail: 0, 'n/a': 0, unknown: 0 };
  for (const result of results) if (flow === undefined || result.flow === flow) tally[result.status] += 1;
  return tally;
}

/** pass / (pass + fail), as a whole percentage; 100 when nothing was judged. */
export function scoreOf(tally: Tally): number {
  const judged = tally.pass + tally.fail;
  return judged === 0 ? 100 : Math.floor((tally.pass / judged) * 100);
}

/** A Markdown table cell: pipes escaped, new lines flattened. */
function cell(text: string | undefined): string {
  return (text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function tallyRow(label: string, tally: Tally): string {
  const score = tally.pass + tally.fail === 0 ? '-' : `${scoreOf(tally)} %`;
  return `| ${label} | ${tally.pass} | ${tally.fail} | ${tally['n/a']} | ${tally.unknown} | ${score} |`;
}

/** What a scorecard shows about its run. */
export type ScorecardInput = {
  target: string;
  results: readonly CheckResult[];
  /** The target's expected failures, shown beside each one. */
  expected?: ExpectedFailures;
};

/** The one-line summary: counts and score. */
export function summaryLine(results: readonly CheckResult[]): string {
  const tally = tallyOf(results);
  return `${results.length} checks: ${tally.pass} pass, ${tally.fail} fail, ${tally['n/a']} n/a, ${tally.unknown} unknown; score ${scoreOf(tally)} % (pass / (pass + fail))`;
}

/**
 * The scorecard as Markdown: a summary, the tally per flow, then every check.
 *
 * @example
 * writeFileSync('report.md', scorecardMarkdown({ target: 'npm start', results: run.results }));
 */
export function scorecardMarkdown(input: ScorecardInput): string {
  const { results, expected = {} } = input;
  const flows = Object.values(Flow).filter((flow) => results.some((result) => result.flow === flow));
  const lines = [
    `### ${input.target}`,
    '',
    `${summaryLine(results)}.`,
    '',
    '| flow | pass | fail | n/a | unknown | score |',
    '|---|---|---|---|---|---|',
    ...flows.map((flow) => tallyRow(flow, tallyOf(results, flow))),
    tallyRow('**all**', tallyOf(results)),
    '',
    '| check | contract | result | expected | observed |',
    '|---|---|---|---|---|',
    ...results.map((result) => {
      const why =
        result.status === Status.Fail && Object.hasOwn(expected, result.id) ? expected[result.id] : undefined;
      const status = why === undefined ? result.status : `${result.status} (expected: ${why})`;
      const observed = result.status === Status.Pass ? '' : result.observed;
      return `| \`${result.id}\` ${cell(result.title)} | ${cell(result.section)} | ${cell(status)} | ${result.status === Status.Pass ? '' : cell(result.expected)} | ${cell(observed)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

/**
 * The results a scorecard page shows: target (its `###` heading) -> check id -> status. Reads what
 * {@link scorecardMarkdown} writes.
 *
 * @example
 * statusesOfScorecards(readFileSync(SCORECARD_DOC, 'utf8')).get('npm start (the local pipeline)');
 */
export function statusesOfScorecards(markdown: string): Map<string, Map<string, string>> {
  const cards = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^### (.+)$/.exec(line);
    if (heading !== null) {
      current = new Map();
      cards.set(heading[1] ?? '', current);
      continue;
    }
    const row = /^\| `([^`]+)` .*?(?<!\\)\| .*?(?<!\\)\| (pass|fail|n\/a|unknown)\b/.exec(line);
    if (row !== null && current !== undefined) current.set(row[1] ?? '', row[2] ?? '');
  }
  return cards;
}
