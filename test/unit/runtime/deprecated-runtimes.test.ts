/**
 * cfn-lint keeps runtimes Lambda deprecates out of template.yaml: W2531 (deprecated), E2531 (creation
 * disabled) and E2533 (updates disabled) hold for every function, and nothing in the repository ignores
 * them: not the template's own `cfn-lint` Metadata, not a `.cfnlintrc` in the folder CI runs it from, not
 * `.ci/run`'s command. When nodejs22.x's own deprecation date comes, CI fails until the runtime moves on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { DEFAULT_TEMPLATE_PATH, loadTemplate } from '../../../harness/template.js';
import { isObject } from '../../../shared/parse-event.js';
import { cfnLint, cfnLintRunsHere } from '../../support/cfn-lint.js';

const DEPRECATION_RULES = ['W2531', 'E2531', 'E2533'];
const RETIRED_RUNTIME = 'nodejs16.x';

/** The line of each resource's logical id (`  PreSignUpFunction:` under `Resources:`). */
function resourceLines(text: string): Map<number, string> {
  const lines = new Map<number, string>();
  text.split('\n').forEach((line, index) => {
    const match = /^ {2}([A-Za-z0-9]+):\s*$/.exec(line);
    if (match?.[1] !== undefined) lines.set(index + 1, match[1]);
  });
  return lines;
}

describe('Runtime: cfn-lint refuses a deprecated runtime in template.yaml', () => {
  const hasCfnLint = cfnLintRunsHere('cfn-lint deprecated runtimes');
  const scratch = mkdtempSync(join(tmpdir(), 'deprecated-runtimes-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const functions = Object.entries(loadTemplate().document.Resources as Record<string, { Type: string }>)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
    .map(([logicalId]) => logicalId)
    .sort();

  let flagged: string[] = [];
  beforeAll(() => {
    if (!hasCfnLint) return;
    const original = readFileSync(DEFAULT_TEMPLATE_PATH, 'utf8');
    const text = original.replace(/^( {4}Runtime: )nodejs\d+\.x$/m, `$1${RETIRED_RUNTIME}`);
    if (text === original) throw new Error('template.yaml sets no Globals Runtime to replace');
    const path = join(scratch, 'template.yaml');
    writeFileSync(path, text);
    // From the project root, as .ci/run runs it: a .cfnlintrc there would apply.
    const { lines } = cfnLint([path]);
    const byLine = resourceLines(text);
    flagged = lines
      .map((line) => line.split(':'))
      .filter((fields) => DEPRECATION_RULES.includes(fields[5] ?? ''))
      .map((fields) => byLine.get(Number(fields[1])) ?? `line ${fields[1]}`)
      .sort();
  }, 120_000);

  it.runIf(hasCfnLint)(`flags every function when Globals say ${RETIRED_RUNTIME}`, () => {
    // Prepare
    const expected = functions;

    // Act
    const found = [...new Set(flagged)];

    // Assess
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(found).toEqual(expected);
  });
});

describe('Runtime: nothing ignores the deprecation rules', () => {
  it("lists none of them in template.yaml's cfn-lint Metadata, top level or per resource", () => {
    // Prepare
    const { document } = loadTemplate();
    const resources = Object.values(isObject(document.Resources) ? document.Resources : {});

    // Act
    const metadata = [document, ...resources].map((node) => (isObject(node) ? node.Metadata : undefined));
    const ignored = JSON.stringify(metadata.filter((value) => isObject(value) && 'cfn-lint' in value));

    // Assess
    expect(DEPRECATION_RULES.filter((rule) => ignored.includes(rule.slice(1)))).toEqual([]);
  });

  it('runs cfn-lint in .ci/run on template.yaml with no option that drops a rule', () => {
    // Prepare
    const script = readFileSync(join(PROJECT_ROOT, '.ci', 'run'), 'utf8');

    // Act
    const commands = script
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('cfn-lint '));

    // Assess
    expect(commands).toEqual(['cfn-lint template.yaml']);
  });
});
