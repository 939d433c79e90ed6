/**
 * `npm run conformance:scorecards`: scores the two endpoints the suite starts (the local pipeline and bare
 * cognito-local) and writes their scorecards to docs/conformance-scorecard.md. CI checks that the file's
 * results are the ones a run gives (test/integration/conformance.test.ts), so run this after changing a
 * check, the pipeline or an expected failure.
 */
import { writeFileSync } from 'node:fs';
import { EXPECTED_FAILURES } from '../conformance/expected-failures.js';
import { SCORECARD_DOC, scorecardMarkdown } from '../conformance/scorecard.js';
import { CHECKS } from '../conformance/suite.js';
import { scoreTarget, TargetName } from '../conformance/targets.js';
import { fromProjectRoot } from '../harness/paths.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const sections: string[] = [];
for (const name of [TargetName.Local, TargetName.CognitoLocal]) {
  console.log(`Scoring ${name}…`);
  const score = await scoreTarget(name);
  sections.push(
    scorecardMarkdown({ target: score.target, results: score.results, expected: EXPECTED_FAILURES[name] }),
  );
}
const page = [
  '# Conformance scorecards',
  '',
  `What the [conformance suite](conformance.md) (${CHECKS.length} checks) finds in the endpoints it starts, written by`,
  '`npm run conformance:scorecards`. CI runs the same two scorings and requires these results',
  '(`test/integration/conformance.test.ts`). "expected:" names a known difference of that endpoint',
  '(`conformance/expected-failures.ts`).',
  '',
  ...sections,
].join('\n');
writeFileSync(fromProjectRoot(SCORECARD_DOC), page);
console.log(`Wrote ${SCORECARD_DOC}`);
