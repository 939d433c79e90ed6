import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FixtureError } from '../../../harness/errors.js';
import {
  checkFixtureInvariants,
  expectationPathOf,
  fileSourceOf,
  findEventFiles,
  kebabCase,
  readExpectation,
} from '../../../harness/fixtures.js';

const roots: string[] = [];
function library(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'fixtures-'));
  roots.push(root);
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const expectation = {
  description: 'Default.',
  attempts: 1,
  cognito: { outcome: 'success', response: {}, notes: [] },
};

describe('Harness: fixture naming', () => {
  it('turns Cognito names into kebab-case', () => {
    // Prepare
    const names = ['PreSignUp', 'AdminCreateUser', 'ConfirmForgotPassword', 'SignUp'];

    // Act
    const kebab = names.map(kebabCase);

    // Assess
    expect(kebab).toEqual(['pre-sign-up', 'admin-create-user', 'confirm-forgot-password', 'sign-up']);
  });

  it('takes the file prefix from the part after the underscore', () => {
    // Prepare
    const source = 'PreSignUp_AdminCreateUser';

    // Act
    const prefix = fileSourceOf(source);

    // Assess
    expect(prefix).toBe('admin-create-user');
  });

  it('puts the expectation beside its event', () => {
    // Prepare
    const event = '/x/events/pre-sign-up/sign-up.basic.json';

    // Act
    const path = expectationPathOf(event);

    // Assess
    expect(path).toBe('/x/events/pre-sign-up/sign-up.basic.expected.json');
  });
});

describe('Harness: findEventFiles', () => {
  it('finds events in folders, skipping expectations and env.json', () => {
    // Prepare
    const dir = library({
      'env.json': {},
      'pre-sign-up/sign-up.a.json': {},
      'pre-sign-up/sign-up.a.expected.json': {},
      'notes.txt': 'x',
    });

    // Act
    const files = findEventFiles([dir]);

    // Assess
    expect(files).toEqual([join(dir, 'pre-sign-up/sign-up.a.json')]);
  });

  it('fails with a FixtureError for a path that does not exist', () => {
    // Prepare
    const dir = library({});

    // Act
    const act = () => findEventFiles([join(dir, 'missing')]);

    // Assess
    expect(act).toThrow(FixtureError);
  });
});

describe('Harness: readExpectation', () => {
  it('names the file when it is not JSON', () => {
    // Prepare
    const dir = library({ 'a.expected.json': '{ nope' });

    // Act
    const act = () => readExpectation(join(dir, 'a.expected.json'));

    // Assess
    expect(act).toThrow(/a\.expected\.json: is not valid JSON/);
  });

  it.each([
    ['no description', { ...expectation, description: ' ' }, /description/],
    ['no attempts', { ...expectation, attempts: 0 }, /attempts/],
    ['no outcome', { ...expectation, cognito: {} }, /outcome/],
  ])('refuses an expectation with %s', (_title, content, message) => {
    // Prepare
    const dir = library({ 'a.expected.json': content });

    // Act
    const act = () => readExpectation(join(dir, 'a.expected.json'));

    // Assess
    expect(act).toThrow(message);
  });
});

describe('Harness: checkFixtureInvariants', () => {
  it('finds nothing wrong in a well-formed library', () => {
    // Prepare
    const dir = library({
      'pre-sign-up/sign-up.a.json': { triggerSource: 'PreSignUp_SignUp' },
      'pre-sign-up/sign-up.a.expected.json': expectation,
    });

    // Act
    const problems = checkFixtureInvariants(dir);

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports an event without an expectation and an expectation without an event', () => {
    // Prepare
    const dir = library({
      'pre-sign-up/sign-up.a.json': { triggerSource: 'PreSignUp_SignUp' },
      'pre-sign-up/sign-up.b.expected.json': expectation,
    });

    // Act
    const problems = checkFixtureInvariants(dir);

    // Assess
    expect(problems).toEqual([
      { file: 'pre-sign-up/sign-up.a.json', problem: 'event without an expectation' },
      { file: 'pre-sign-up/sign-up.b.expected.json', problem: 'expectation without an event' },
    ]);
  });

  it('reports a triggerSource that does not match the file name or the folder', () => {
    // Prepare
    const dir = library({
      'custom-message/sign-up.a.json': { triggerSource: 'PreSignUp_AdminCreateUser' },
      'custom-message/sign-up.a.expected.json': expectation,
    });

    // Act
    const problems = checkFixtureInvariants(dir).map((entry) => entry.problem);

    // Assess
    expect(problems).toEqual([
      'triggerSource PreSignUp_AdminCreateUser needs a file name starting "admin-create-user."',
      'triggerSource PreSignUp_AdminCreateUser belongs in a folder named pre-sign-up',
    ]);
  });

  it('reports an unknown triggerSource', () => {
    // Prepare
    const dir = library({
      'pre-sign-up/sign-up.a.json': { triggerSource: 'PreSignUp_Migration' },
      'pre-sign-up/sign-up.a.expected.json': expectation,
    });

    // Act
    const problems = checkFixtureInvariants(dir);

    // Assess
    expect(problems).toEqual([
      {
        file: 'pre-sign-up/sign-up.a.json',
        problem: 'triggerSource "PreSignUp_Migration" is not a known source',
      },
    ]);
  });

  it("accepts an aws-sample scenario whose triggerSource lists sources of the folder's trigger", () => {
    // Prepare
    const dir = library({
      'custom-message/sign-up.aws-sample-archived.json': {
        triggerSource: 'CustomMessage_SignUp/CustomMessage_ResendCode',
      },
      'custom-message/sign-up.aws-sample-archived.expected.json': expectation,
    });

    // Act
    const problems = checkFixtureInvariants(dir);

    // Assess
    expect(problems).toEqual([]);
  });

  it.each([
    [
      'another scenario',
      'custom-message/sign-up.listed.json',
      'CustomMessage_SignUp/CustomMessage_ResendCode',
    ],
    ['a file name that is no source of the folder', 'custom-message/confirm-sign-up.aws-sample.json', '<x>'],
    [
      'a list of another trigger',
      'custom-message/sign-up.aws-sample.json',
      'PreSignUp_SignUp/PreSignUp_AdminCreateUser',
    ],
    ['an undocumented single source', 'custom-message/sign-up.aws-sample.json', 'CustomMessage_Migration'],
    ['a placeholder, which names no trigger to replay', 'custom-message/sign-up.aws-sample.json', '<x>'],
    // AWS's envelope-less samples are recorded as `aws-sample` scenarios; any other name still needs one.
    ['an event without one, not named as a sample', 'custom-message/sign-up.no-source.json', undefined],
  ])('still reports an unknown triggerSource in %s', (_label, file, triggerSource) => {
    // Prepare
    const dir = library({
      [file]: { triggerSource },
      [file.replace(/\.json$/, '.expected.json')]: expectation,
    });

    // Act
    const problems = checkFixtureInvariants(dir);

    // Assess
    expect(problems).toEqual([
      { file, problem: `triggerSource ${JSON.stringify(triggerSource)} is not a known source` },
    ]);
  });
});
