/**
 * What an app ships of the client package (packages/client, docs/client.md): each entry bundled from its
 * source as an app's bundler would (esbuild: ESM, minified, everything the entry exports kept), then gzipped.
 * Node.js built-ins stay outside the bundle and are listed: a browser-safe entry has none. The browser entry
 * has a budget, reported by the bench and enforced by test/unit/bench/client-size.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { formatBytes } from '../harness/build-functions.js';
import { PROJECT_ROOT } from '../harness/paths.js';
import { CLIENT_PACKAGE_DIR, type ClientEntry, clientEntries } from '../scripts/build-client.js';
import { formatNumber, markdownTable } from './format.js';

/** Gzipped bytes an entry may weigh, by subpath: the browser entry (decoder, codes, caller keys) under 2 KB. */
export const CLIENT_SIZE_BUDGETS: Readonly<Record<string, number>> = { '.': 2048 };

/** The size of one entry as an app ships it. */
export type ClientEntrySize = {
  /** The import path: the package name and the entry's subpath. */
  importPath: string;
  subpath: string;
  /** Minified bundle, in bytes. */
  bytes: number;
  /** The minified bundle gzipped (zlib's default level, as the function bundles are measured). */
  gzipBytes: number;
  /** The `node:` modules the entry imports, sorted; empty for a browser-safe entry. */
  nodeBuiltins: string[];
  /** The source files bundled, relative to the repository root, sorted. */
  modules: string[];
  /** The entry's budget in gzipped bytes, when it has one. */
  budgetBytes?: number;
};

/** The package's name and entries, from its package.json. */
export function clientPackage(): { name: string; entries: ClientEntry[] } {
  const manifest: unknown = JSON.parse(readFileSync(join(CLIENT_PACKAGE_DIR, 'package.json'), 'utf8'));
  const name = (manifest as { name?: unknown }).name;
  if (typeof name !== 'string') throw new TypeError('packages/client/package.json has no name');
  return { name, entries: clientEntries(manifest) };
}

/** Bundles one entry from its source, minified, and measures it. */
export async function measureClientEntry(entry: ClientEntry, packageName: string): Promise<ClientEntrySize> {
  const result = await build({
    entryPoints: [entry.source],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['node:*'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // No outfile: the one output is the bundle (esbuild names it <stdout>).
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const nodeBuiltins = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports
      .filter((item) => item.external === true && item.path.startsWith('node:'))
      .map((item) => item.path),
  );
  const budgetBytes = CLIENT_SIZE_BUDGETS[entry.subpath];
  return {
    importPath: entry.subpath === '.' ? packageName : `${packageName}/${entry.subpath.slice(2)}`,
    subpath: entry.subpath,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    nodeBuiltins: [...new Set(nodeBuiltins)].sort(),
    // esbuild names inputs relative to the working directory.
    modules: Object.keys(result.metafile.inputs)
      .map((input) => relative(PROJECT_ROOT, join(process.cwd(), input)))
      .sort(),
    ...(budgetBytes === undefined ? {} : { budgetBytes }),
  };
}

/** Every entry of the package, measured, in `exports` order. */
export async function measureClientEntries(): Promise<ClientEntrySize[]> {
  const { name, entries } = clientPackage();
  const sizes: ClientEntrySize[] = [];
  for (const entry of entries) sizes.push(await measureClientEntry(entry, name));
  return sizes;
}

/** Whether an entry weighs no more than its budget (an entry without one always does). */
export function withinBudget(size: ClientEntrySize): boolean {
  return size.budgetBytes === undefined || size.gzipBytes <= size.budgetBytes;
}

function budgetCell(size: ClientEntrySize): string {
  if (size.budgetBytes === undefined) return '—';
  const budget = `${formatNumber(size.budgetBytes, 0)} B`;
  if (withinBudget(size)) return `${budget}: within`;
  return `${budget}: **over by ${formatNumber(size.gzipBytes - size.budgetBytes, 0)} B**`;
}

/** The report's section on the client package. Pure. */
export function renderClientSizeSection(sizes: readonly ClientEntrySize[]): string {
  const table = markdownTable(
    ['import', 'minified', 'min+gzip', 'gzipped budget', 'Node.js built-ins'],
    sizes.map((size) => [
      `\`${size.importPath}\``,
      formatBytes(size.bytes),
      `${formatNumber(size.gzipBytes, 0)} B`,
      budgetCell(size),
      size.nodeBuiltins.length === 0 ? 'none (browser-safe)' : size.nodeBuiltins.join(', '),
    ]),
    ['left', 'right', 'right', 'left', 'left'],
  );
  return [
    '## Client package',
    '',
    'What an app ships of the client package (`packages/client`, [docs/client.md](../docs/client.md)): each',
    "entry bundled from its source as an app's bundler would (esbuild: ESM, minified, every export of the",
    'entry kept), then gzipped. The browser entry must stay within its budget:',
    '`test/unit/bench/client-size.test.ts` fails `npm test` over it.',
    '',
    table,
  ].join('\n');
}
