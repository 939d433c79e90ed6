/**
 * The message gallery (`npm run preview`) opened in headless Chromium, Debian's `chromium` driven from the
 * command line (no browser driver): every trigger source × shipped locale has its card, each email reaches
 * its sandboxed iframe unchanged, and a screenshot is kept as a build artifact (dist/ is git-ignored).
 * Chromium comes from scripts/install-chromium.sh; without it this suite is reported as skipped, loudly.
 */

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromProjectRoot, PROJECT_ROOT } from '../../harness/paths.js';
import { previewCards, previewFile } from '../../scripts/preview-messages.js';
import { customMessageSources } from '../../shared/trigger-source.js';
import { shippedLocales } from '../../triggers/custom-message/templates/compiled.js';
import { runsHereOrSkips } from '../support/ci.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = runsHereOrSkips(
  'preview in Chromium',
  existsSync(CHROMIUM),
  '/usr/bin/chromium not found (scripts/install-chromium.sh installs it; CI runs it)',
);
const SCREENSHOT = fromProjectRoot('dist/preview/screenshot.png');
// Four cards a row at 1280 px, about 940 px a source: tall enough for the whole gallery.
const SCREENSHOT_SIZE = { width: 1280, height: 300 + customMessageSources.length * 1000 };

// No network, no first-run work, a throwaway profile. Sandboxed iframes stay in the page's process: with
// IsolateSandboxedIframes on, a screenshot is sometimes taken before their content is painted.
function chromiumArguments(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=IsolateSandboxedIframes',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
  ];
}

type DumpedCard = { source: string; locale: string; title: string; srcdoc: string | undefined };

// Undoes the escaping Chromium's serializer applies to text and attribute values.
function decodeSerialized(text: string): string {
  const entities: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', nbsp: '\u00a0' };
  return text.replace(/&(amp|quot|lt|gt|nbsp);/g, (_, name: string) => entities[name] ?? '');
}

function attributeOf(tag: string, name: string): string | undefined {
  const value = new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : decodeSerialized(value);
}

function cardsIn(dom: string): DumpedCard[] {
  return [...dom.matchAll(/<article\b([^>]*)>([\s\S]*?)<\/article>/g)].map(([, tag = '', body = '']) => {
    const title = /<h3\b[^>]*>([\s\S]*?)<\/h3>/.exec(body)?.[1] ?? '';
    const iframe = /<iframe\b[^>]*>/.exec(body)?.[0];
    return {
      source: attributeOf(tag, 'data-source') ?? '',
      locale: attributeOf(tag, 'data-locale') ?? '',
      title: decodeSerialized(title.replace(/<[^>]*>/g, '')),
      srcdoc: iframe === undefined ? undefined : attributeOf(iframe, 'srcdoc'),
    };
  });
}

describe.runIf(hasChromium)('CLI: preview-messages in Chromium', () => {
  let profile = '';
  const pageUrl = pathToFileURL(previewFile).href;
  let printed = '';
  let cards: DumpedCard[] = [];

  beforeAll(async () => {
    rmSync(previewFile, { force: true });
    rmSync(SCREENSHOT, { force: true });
    profile = mkdtempSync(join(tmpdir(), 'preview-chromium-'));
    const preview = await run(fromProjectRoot('node_modules/.bin/tsx'), ['scripts/preview-messages.ts'], {
      cwd: PROJECT_ROOT,
    });
    printed = preview.stdout;
    const dump = await run(CHROMIUM, [...chromiumArguments(profile), '--dump-dom', pageUrl], {
      maxBuffer: 64 * 1024 * 1024,
    });
    cards = cardsIn(dump.stdout);
  });

  afterAll(() => {
    if (profile !== '') rmSync(profile, { recursive: true, force: true });
  });

  it('prints the path of the page it wrote', () => {
    // Prepare: the preview ran in beforeAll.
    // Act
    const path = printed.trim();
    // Assess
    expect(path).toBe(previewFile);
    expect(existsSync(path)).toBe(true);
  });

  it('shows one card for every source and shipped locale', () => {
    // Prepare
    const expected = shippedLocales.flatMap((locale) =>
      customMessageSources.map((source) => `${source} ${locale}`),
    );
    // Act
    const shown = cards.map((card) => `${card.source} ${card.locale}`);
    // Assess
    expect(shown).toHaveLength(customMessageSources.length * shippedLocales.length);
    expect(shown.toSorted()).toEqual(expected.toSorted());
  });

  it('titles each card with its source and locale', () => {
    // Prepare: the gallery was dumped in beforeAll.
    // Act
    const mistitled = cards.filter((card) => card.title !== `${card.source} ${card.locale}`);
    // Assess
    expect(cards.length).toBeGreaterThan(0);
    expect(mistitled).toEqual([]);
  });

  it('hands every email to its sandboxed iframe exactly as the trigger composed it', () => {
    // Prepare
    const composed = new Map(
      previewCards().map((card) => [`${card.source} ${card.locale}`, card.composed.response.emailMessage]),
    );
    // Act
    const differing = cards.filter(
      (card) => card.srcdoc === undefined || card.srcdoc !== composed.get(`${card.source} ${card.locale}`),
    );
    // Assess
    expect(cards.length).toBeGreaterThan(0);
    expect(differing.map((card) => `${card.source} ${card.locale}`)).toEqual([]);
  });

  it('saves a screenshot of the gallery as a build artifact', async () => {
    // Prepare
    const { width, height } = SCREENSHOT_SIZE;
    // Act
    await run(CHROMIUM, [
      ...chromiumArguments(profile),
      `--screenshot=${SCREENSHOT}`,
      `--window-size=${width},${height}`,
      pageUrl,
    ]);
    // Assess: a PNG whose IHDR chunk (bytes 16–23) holds the window's size.
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
  });
});
