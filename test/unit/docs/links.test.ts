/**
 * The repository explains itself only if its cross-references hold: every relative link of the README and
 * `docs/` reaches a file (and a heading, when it names one), and every `contract §N` the code, tests,
 * recorded events and docs cite is a section of `docs/cognito-contract.md`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../harness/paths.js';

/** The section sign as an escape: the examples below cite missing sections and must not count as citations. */
const SECTION = '\u00a7';
const CONTRACT_FILE = 'docs/cognito-contract.md';

/**
 * The numbered lists a citation can point into, per the citation legend at the top of the contract:
 * `§2 rule N` / `§2.N` and `§3 item N` / `§3.N` (heading text as it starts).
 */
const NUMBERED_LISTS: Readonly<Record<string, string>> = {
  '2': 'Rules Cognito applies',
  '3': 'Constraints',
};

/** Markdown with fenced code blocks blanked out, line for line, so line numbers stay true. */
function withoutFencedCode(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === undefined) {
      if (opening?.[1] === undefined) return line;
      fence = opening[1];
      return '';
    }
    if (opening?.[1] !== undefined && opening[1][0] === fence[0] && opening[1].length >= fence.length) {
      fence = undefined;
    }
    return '';
  });
}

/** A heading's anchor as GitHub derives it (before numbering duplicates). */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a markdown file offers: its headings' slugs (`-1`, `-2` on repeats) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFencedCode(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading?.[1] !== undefined) {
      const slug = githubSlug(heading[1]);
      const repeats = seen.get(slug) ?? 0;
      seen.set(slug, repeats + 1);
      anchors.add(repeats === 0 ? slug : `${slug}-${repeats}`);
    }
    for (const explicit of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) {
      if (explicit[1] !== undefined) anchors.add(explicit[1]);
    }
  }
  return anchors;
}

type Link = { line: number; target: string };

/** The link targets of a markdown file outside code: inline links, images and reference definitions. */
function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  withoutFencedCode(markdown).forEach((raw, index) => {
    // Code spans may hold bracket-and-parenthesis text that is not a link.
    const line = raw.replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (match[1] !== undefined) links.push({ line: index + 1, target: match[1] });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (definition?.[1] !== undefined) links.push({ line: index + 1, target: definition[1] });
  });
  return links;
}

/** How the link check sees the project: tests hand it a few files of their own. */
type ProjectView = { read: (path: string) => string | undefined; exists: (path: string) => boolean };

const project: ProjectView = {
  read(path) {
    const absolute = resolve(PROJECT_ROOT, path);
    return existsSync(absolute) && statSync(absolute).isFile() ? readFileSync(absolute, 'utf8') : undefined;
  },
  exists: (path) => existsSync(resolve(PROJECT_ROOT, path)),
};

/**
 * What is wrong with the relative links of one markdown file: a missing file or folder, or an anchor that is
 * no heading of its markdown target. External links (`https:`, `mailto:`) are not checked.
 */
function brokenLinks(file: string, view: ProjectView): string[] {
  const markdown = view.read(file);
  if (markdown === undefined) return [`${file}: cannot be read`];
  const problems: string[] = [];
  for (const { line, target } of linksOf(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const hash = target.indexOf('#');
    const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
    const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
    // GitHub reads a leading `/` as the repository root.
    const path =
      pathPart === ''
        ? file
        : pathPart.startsWith('/')
          ? pathPart.slice(1)
          : posix.join(posix.dirname(file), pathPart);
    if (!view.exists(path)) {
      problems.push(`${file}:${line}: ${target} (no file ${path})`);
    } else if (
      anchor !== undefined &&
      path.endsWith('.md') &&
      !anchorsOf(view.read(path) ?? '').has(anchor)
    ) {
      problems.push(`${file}:${line}: ${target} (no heading #${anchor} in ${path})`);
    }
  }
  return problems;
}

/** README.md and every markdown file under docs/, relative to the project root. */
function documentationFiles(): string[] {
  const docs = readdirSync(resolve(PROJECT_ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name.replace(/\\/g, '/')}`);
  return ['README.md', ...docs.sort()];
}

/** The sections of the contract (`0`, `3a`, `5b`, …) and the item numbers of its numbered lists. */
type ContractOutline = { sections: Set<string>; items: Map<string, Set<number>> };

/** Reads the outline from the contract's `## N. Title` headings and the numbered lists of NUMBERED_LISTS. */
function outlineOf(contract: string): ContractOutline {
  const sections = new Set<string>();
  const items = new Map<string, Set<number>>();
  let section: string | undefined;
  let list: Set<number> | undefined;
  for (const line of withoutFencedCode(contract)) {
    const top = /^## (\d+[a-z]?)\. /.exec(line);
    if (top?.[1] !== undefined) {
      section = top[1];
      sections.add(section);
      list = undefined;
      continue;
    }
    const sub = /^#{2,3} (.*)$/.exec(line);
    if (sub?.[1] !== undefined) {
      const listHeading = section === undefined ? undefined : NUMBERED_LISTS[section];
      list = listHeading !== undefined && sub[1].startsWith(listHeading) ? new Set<number>() : undefined;
      if (list !== undefined && section !== undefined) items.set(section, list);
      continue;
    }
    const item = /^(\d+)\. /.exec(line);
    if (item?.[1] !== undefined) list?.add(Number(item[1]));
  }
  return { sections, items };
}

/** One citation of the contract: the sections it names, and the list items when it names any. */
type SectionReference = { file: string; line: number; text: string; sections: string[]; items: number[] };

// `§3`, `§3a`, `§2.1`, and ranges `§1–§5`, `§1–4`, `§3.1–3.2`, `§2-4`.
const REFERENCE = new RegExp(
  `${SECTION}(\\d+[a-z]?)(?:\\.(\\d+))?(?:\\s*[–-]\\s*${SECTION}?(\\d+[a-z]?)(?:\\.(\\d+))?)?`,
  'g',
);
// What may follow a section, naming list items (the contract's citation legend): `rule 2`, `rules 1–6`,
// `item 4`, `, Constraints items 2–3`, `rule 5 and rule 6`.
const QUALIFIER =
  /^,?\s*(?:"?Constraints"?,?\s*)?(?:rules?|items?)\s+(\d+)(?:\s*[–-]\s*(\d+))?(?:\s+and\s+(?:rules?|items?)\s+(\d+))?/;
// A section sign that belongs to another document: `RFC 4647 §3.4`, `issue 10 §1`.
const OTHER_DOCUMENT = /\b(?:RFC\s*\d+|issues?\s+#?\d+)\s*$/i;
// What joins the sections of one citation: `§2, §3 and §4`.
const JOINER = /^[\s,;]*(?:and|or)?\s*$/;

/** A source line without its comment marker, so a citation broken across comment lines reads as one. */
function uncommented(line: string, file: string): string {
  if (/\.(?:ts|cjs|js)$/.test(file)) return line.replace(/^\s*(?:\/\/+|\/\*+|\*+\/?)?\s?/, '');
  if (/\.ya?ml$/.test(file)) return line.replace(/^\s*#*\s?/, '');
  return line.replace(/^\s*(?:>\s*)*/, '');
}

/** Numbers from `first` to `last`, both included (a single number without `last`). */
function span(first: number, last: number | undefined): number[] {
  const end = last === undefined || last < first ? first : last;
  return Array.from({ length: end - first + 1 }, (_, offset) => first + offset);
}

/**
 * Every contract citation in one file. A section sign counts unless the words right before it name
 * another document (an RFC, an issue); a citation may run across comment lines.
 */
function sectionReferencesOf(file: string, content: string): SectionReference[] {
  const lineStarts: number[] = [];
  let text = '';
  for (const line of content.split('\n')) {
    lineStarts.push(text.length);
    text += `${uncommented(line, file)} `;
  }
  const lineOf = (offset: number) => lineStarts.findLastIndex((start) => start <= offset) + 1;
  const references: SectionReference[] = [];
  let previousEnd = -1;
  let previousForeign = false;
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, first = '', firstItem, last, lastItem] = match;
    const start = match.index;
    const qualifier = QUALIFIER.exec(text.slice(start + whole.length));
    const end = start + whole.length + (qualifier?.[0].length ?? 0);
    const continues = previousEnd >= 0 && JOINER.test(text.slice(previousEnd, start));
    const foreign: boolean = continues
      ? previousForeign
      : OTHER_DOCUMENT.test(text.slice(Math.max(0, start - 40), start));
    previousEnd = end;
    previousForeign = foreign;
    if (foreign) continue;

    let sections = [first];
    let items: number[] = [];
    if (firstItem !== undefined) {
      // `§3.1–3.2` names items of one section; `§2.1` one item.
      items = span(Number(firstItem), lastItem === undefined ? undefined : Number(lastItem));
      if (last !== undefined && last !== first) sections = [first, last];
    } else if (last !== undefined) {
      const from = Number.parseInt(first, 10);
      const to = Number.parseInt(last, 10);
      sections = [first, ...span(from, to).slice(1, -1).map(String), last];
    }
    if (qualifier !== null) {
      const [, from = '', to, also] = qualifier;
      items = [...span(Number(from), to === undefined ? undefined : Number(to))];
      if (also !== undefined) items.push(Number(also));
    }
    references.push({
      file,
      line: lineOf(start),
      text: text.slice(start, end).trim(),
      sections: [...new Set(sections)],
      items,
    });
  }
  return references;
}

/** Why a citation does not resolve, or undefined when it does. */
function unresolved(reference: SectionReference, outline: ContractOutline): string | undefined {
  const missing = reference.sections.filter((section) => !outline.sections.has(section));
  if (missing.length > 0) return `no section ${missing.join(', ')}`;
  if (reference.items.length === 0) return undefined;
  const section = reference.sections[0] ?? '';
  const list = outline.items.get(section);
  if (list === undefined) return `section ${section} has no numbered list of rules or items`;
  const absent = reference.items.filter((item) => !list.has(item));
  return absent.length > 0 ? `section ${section} has no item ${absent.join(', ')}` : undefined;
}

/** The files a contract citation may live in: tracked (or new, not ignored) sources and docs. */
function citingFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(listed.split('\n'))]
    .filter((path) => /\.(?:ts|cjs|md|ya?ml|json)$/.test(path))
    .filter((path) => !path.endsWith('package-lock.json') && !path.startsWith('node_modules/'))
    .filter((path) => project.read(path) !== undefined)
    .sort();
}

describe('Docs: links', () => {
  it('slugs headings as GitHub does, numbering repeated headings', () => {
    // Prepare
    const markdown = [
      '# Cognito sign-up triggers',
      '## Rejections and `parseTriggerError`',
      '### What the harness checks (Cognito’s rules)',
      '## 3a. Placeholders Cognito expands',
      '### Configuration',
      '### Configuration',
      '```sh',
      '# a shell comment, not a heading',
      '```',
    ].join('\n');

    // Act
    const anchors = anchorsOf(markdown);

    // Assess
    expect([...anchors]).toEqual([
      'cognito-sign-up-triggers',
      'rejections-and-parsetriggererror',
      'what-the-harness-checks-cognitos-rules',
      '3a-placeholders-cognito-expands',
      'configuration',
      'configuration-1',
    ]);
  });

  it('reads link targets outside code only', () => {
    // Prepare
    const markdown = [
      'See [the contract](docs/cognito-contract.md#1-the-common-event-envelope) and [results](bench/results.md).',
      'Not a link: `[x](nowhere.md)`.',
      '```ts',
      'const link = [a](b.md);',
      '```',
      '[ref]: docs/replay.md',
    ].join('\n');

    // Act
    const links = linksOf(markdown);

    // Assess
    expect(links).toEqual([
      { line: 1, target: 'docs/cognito-contract.md#1-the-common-event-envelope' },
      { line: 1, target: 'bench/results.md' },
      { line: 6, target: 'docs/replay.md' },
    ]);
  });

  it('reports a link to a missing file and an anchor that is no heading', () => {
    // Prepare
    const files: Record<string, string> = {
      'docs/a.md':
        '# A\n\n[b](b.md#known) [gone](missing.md) [bad](b.md#unknown) [self](#a) [up](../README.md)\n',
      'docs/b.md': '# B\n\n## Known\n',
      'README.md': '# Readme\n',
    };
    const view: ProjectView = { read: (path) => files[path], exists: (path) => path in files };

    // Act
    const problems = brokenLinks('docs/a.md', view);

    // Assess
    expect(problems).toEqual([
      'docs/a.md:3: missing.md (no file docs/missing.md)',
      'docs/a.md:3: b.md#unknown (no heading #unknown in docs/b.md)',
    ]);
  });

  it('resolves every relative link of README.md and docs/ to a file, and every anchor to a heading', () => {
    // Prepare
    const files = documentationFiles();

    // Act
    const problems = files.flatMap((file) => brokenLinks(file, project));

    // Assess
    expect(files).toContain(CONTRACT_FILE);
    expect(problems).toEqual([]);
  });

  it('reads contract citations in every form the sources write them', () => {
    // Prepare
    const s = SECTION;
    const source = [
      `/** The event (contract ${s}1, "Forward compatibility"), see also ${s}3a and contract ${s}2, ${s}3 and ${s}4.`,
      ` * Ranges: contract ${s}1–${s}5, ${s}1–4; items: contract ${s}2 rule 5 and rule 6, contract ${s}3, Constraints`,
      ` * items 2–3; dotted: ${s}3.1–3.2. Not ours: RFC 4647 ${s}3.4, issue 10 ${s}1, ${s}5. */`,
    ].join('\n');

    // Act
    const references = sectionReferencesOf('shared/example.ts', source).map(({ line, sections, items }) => ({
      line,
      sections,
      items,
    }));

    // Assess
    expect(references).toEqual([
      { line: 1, sections: ['1'], items: [] },
      { line: 1, sections: ['3a'], items: [] },
      { line: 1, sections: ['2'], items: [] },
      { line: 1, sections: ['3'], items: [] },
      { line: 1, sections: ['4'], items: [] },
      { line: 2, sections: ['1', '2', '3', '4', '5'], items: [] },
      { line: 2, sections: ['1', '2', '3', '4'], items: [] },
      { line: 2, sections: ['2'], items: [5, 6] },
      { line: 2, sections: ['3'], items: [2, 3] },
      { line: 3, sections: ['3'], items: [1, 2] },
    ]);
  });

  it('reports a citation of a section or an item the contract does not have', () => {
    // Prepare
    const s = SECTION;
    const outline = outlineOf(
      ['## 2. Pre sign-up', '### Rules Cognito applies', '1. One.', '2. Two.', '## 3a. Placeholders'].join(
        '\n',
      ),
    );
    const source = `// contract ${s}2 rule 2, contract ${s}8, contract ${s}2 rule 3, contract ${s}3a item 1`;

    // Act
    const problems = sectionReferencesOf('x.ts', source).map((reference) => unresolved(reference, outline));

    // Assess
    expect(problems).toEqual([
      undefined,
      'no section 8',
      'section 2 has no item 3',
      'section 3a has no numbered list of rules or items',
    ]);
  });

  it('resolves every contract citation of the sources to a section of docs/cognito-contract.md', () => {
    // Prepare
    const outline = outlineOf(project.read(CONTRACT_FILE) ?? '');
    const references = citingFiles().flatMap((file) => sectionReferencesOf(file, project.read(file) ?? ''));

    // Act
    const problems = references.flatMap((reference) => {
      const why = unresolved(reference, outline);
      return why === undefined ? [] : [`${reference.file}:${reference.line}: ${reference.text} (${why})`];
    });

    // Assess
    expect(outline.sections.size).toBeGreaterThan(0);
    expect(references.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
