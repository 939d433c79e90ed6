/**
 * The "Lambda's CPU shares" section: every row of bench/share-scenarios.ts cold started in a CPU group of
 * its own holding its memory size's share of one core (harness/cpu-share.ts), against the loopback services,
 * in interleaved rounds, several processes side by side within a budget of cores.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CpuController, detectCpuController, MEMORY_PER_VCPU_MB } from '../harness/cpu-share.js';
import { encryptCode } from '../harness/custom-sender-cipher.js';
import { applyEnvVars } from '../harness/env-vars.js';
import { readJsonFile } from '../harness/fixtures.js';
import {
  anyFunctionByLogicalId,
  type FunctionSpec,
  functionByTrigger,
  type TemplateModel,
} from '../harness/template.js';
import { localCodeKey, pendingCodes, startMailEndpoint } from '../local/custom-senders.js';
import { createInbox } from '../local/inbox.js';
import { TriggerName } from '../shared/trigger-source.js';
import { type BudgetTask, runWithinBudget } from './cpu-budget.js';
import {
  type LoopbackEffects,
  type LoopbackServices,
  loopbackUnavailableReason,
  startLoopbackServices,
} from './loopback-services.js';
import { coldAtShare, type ShareSample } from './measure.js';
import { buildDesign, SdkDesign } from './sdk-designs.js';
import {
  assumptionsFor,
  cpuBudgetFor,
  INIT_ASSUMPTIONS,
  InitAssumption,
  planShareJobs,
  SHARE_SLOTS,
  type ShareJob,
  sharesFor,
} from './share-plan.js';
import { SHARE_GROUPS, type ShareGroup, type ShareRow, shareRows } from './share-scenarios.js';
import { type Summary, summarize } from './stats.js';

/** One row at one memory size under one assumption, reduced to summaries. */
export type ShareCell = {
  row: string;
  memoryMb: number;
  assumption: InitAssumption;
  /** Spawn to reply: process start, init and the first invocation. */
  totalMs: Summary;
  /** Spawn to init done (process start and loading the bundle). */
  initMs: Summary;
  /** Init done to reply (the first invocation). */
  invocationMs: Summary;
  /** What went other than a clean return, as `<count>× <what>` (a throw, a timeout, ERROR lines logged). */
  problems: string[];
};

/** What a row's bundle is, and which SDK packages its process loaded from node_modules. */
export type ShareRowInfo = { id: string; bytes: number; gzipBytes: number; sdkPackages: string[] };

/** The section's outcome. */
export type SharesResult =
  | { kind: 'skipped'; reason: string }
  | {
      kind: 'measured';
      groups: readonly ShareGroup[];
      memorySizes: number[];
      runs: number;
      /** Cores the measured processes held together at most, and how many ran at once at most. */
      budget: number;
      slots: number;
      controller: string;
      /** The template's MemorySize (its FunctionMemorySize default). */
      defaultMemoryMb: number;
      rows: ShareRowInfo[];
      cells: ShareCell[];
      /** What the services held after the run, checked against the processes. */
      effects?: EffectsCheck;
    };

/** What {@link measureShares} needs. */
export type SharesSettings = {
  template: TemplateModel;
  memorySizes: readonly number[];
  runs: number;
  cores: number;
  /** Where bundles are built (a scratch folder under the project, so the SDK resolves from node_modules). */
  scratchDir: string;
  log: (line: string) => void;
  /** The tables to measure; default every one of bench/share-scenarios.ts. */
  groups?: readonly ShareGroup[];
  /** Another controller than this machine's (tests). */
  controller?: CpuController;
};

/** Why the section cannot run here, or `undefined`. */
export function sharesUnavailableReason(
  controller: CpuController,
  rows: readonly ShareRow[],
): string | undefined {
  if (controller.kind === 'none') return controller.reason;
  if (rows.some((row) => row.callsOut)) return loopbackUnavailableReason();
  return undefined;
}

type Built = { row: ShareRow; bundlePath: string; exportName: string; bytes: number; gzipBytes: number };

function builtFor(built: ReadonlyMap<string, Built>, id: string): Built {
  const found = built.get(id);
  if (found === undefined) throw new Error(`bench: row ${id} was not built`);
  return found;
}

async function buildRow(
  settings: SharesSettings,
  row: ShareRow,
  initModules: readonly string[] = [],
): Promise<Built> {
  const bundle = await buildDesign(settings.template, {
    logicalId: row.function,
    ...(row.entry === undefined ? {} : { entry: row.entry }),
    design: row.design,
    outDir: join(settings.scratchDir, 'shares', row.id),
    initModules,
  });
  const spec = anyFunctionByLogicalId(settings.template, row.function);
  return {
    row,
    bundlePath: bundle.path,
    exportName: spec.exportName,
    bytes: bundle.bytes,
    gzipBytes: bundle.gzipBytes,
  };
}

/** What each process of a row is handed: the event as JSON text, a new one each call where it must be. */
function eventSource(
  row: ShareRow,
  services: LoopbackServices | undefined,
  root: string,
  senders?: SenderStandIn,
): () => Promise<string> {
  const { event } = row;
  if (event.kind === 'recorded') {
    const text = readFileSync(join(root, 'events', event.file), 'utf8');
    return async () => text;
  }
  if (event.kind === 'sender') {
    if (senders === undefined) throw new Error(`bench: row ${row.id} needs the sender stand-in`);
    const recorded = JSON.parse(readFileSync(join(root, 'events', event.file), 'utf8')) as {
      userPoolId: string;
      request: { code: string };
    };
    const plaintext = /^<encrypt:([\s\S]*)>$/.exec(recorded.request.code)?.[1] ?? '';
    const text = encryptCode(plaintext, { ...senders.key, userPoolId: recorded.userPoolId }).then((code) =>
      JSON.stringify({ ...recorded, request: { ...recorded.request, code } }),
    );
    return () => text;
  }
  if (services === undefined) throw new Error(`bench: row ${row.id} needs the loopback services`);
  if (event.kind === 'confirmed-sign-up') {
    return async () => JSON.stringify(await services.confirmedSignUpEvent());
  }
  const recorded = JSON.parse(readFileSync(join(root, 'events', event.file), 'utf8')) as {
    userPoolId: string;
    request: { validationData?: Record<string, string> | null };
  };
  recorded.userPoolId = services.poolId;
  // A token the fake provider passes (test/support/captcha-server.ts: its part before the dot).
  recorded.request.validationData = { ...recorded.request.validationData, captchaToken: 'pass.bench' };
  const text = JSON.stringify(recorded);
  return async () => text;
}

/** The custom sender rows' key and delivery stand-in, and the variables that point the functions at them. */
type SenderStandIn = {
  key: ReturnType<typeof localCodeKey>;
  environment: Record<string, string>;
  close(): Promise<void>;
};

async function startSenderStandIn(inboxDir: string): Promise<SenderStandIn> {
  const key = localCodeKey();
  const mail = await startMailEndpoint({
    inbox: createInbox({ directory: inboxDir }),
    pending: pendingCodes(),
  });
  return {
    key,
    environment: {
      CODE_KEY_ARN: '',
      CODE_KEY_RAW_AES: key.base64,
      EMAIL_FROM_ADDRESS: 'Bench <no-reply@example.com>',
      SEND_ONCE_TABLE: '',
      AWS_ENDPOINT_URL_SESV2: mail.url,
      AWS_ENDPOINT_URL_SNS: mail.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    close: () => mail.close(),
  };
}

/** `2× threw SignUpUnavailableError (fault in decideConfirmation)`: what went wrong, by how often. */
export function problemsOf(
  samples: readonly Pick<ShareSample, 'outcome' | 'errorLines' | 'notes'>[],
): string[] {
  const counts = new Map<string, number>();
  for (const sample of samples) {
    const clean = sample.outcome === 'returned' && sample.errorLines === 0 && sample.notes.length === 0;
    if (clean) continue;
    const what = [
      sample.outcome,
      ...(sample.notes.length === 0 ? [] : [`(${sample.notes.join('; ')})`]),
    ].join(' ');
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return [...counts].map(([what, count]) => `${count}× ${what}`);
}

/** How many processes of a kind ran, and how many of them returned cleanly. */
export type ProcessCount = { all: number; clean: number };

/** What the services held after the run, against the processes that should have left it. */
export type EffectsCheck = {
  found: LoopbackEffects;
  /** Post confirmation processes (each a new user) and pre sign-up processes that call out. */
  confirmed: ProcessCount;
  callsOut: ProcessCount;
  /** What does not fit: empty when every effect is explained by the clean and the flagged processes. */
  mismatches: string[];
};

/**
 * Checks the services' state against the processes: every clean post confirmation added its user to the
 * group, wrote a profile and published `UserConfirmed`, and only a flagged one may have missed any of them or
 * queued its event; every clean pre sign-up asked the captcha provider once. Pure.
 */
export function checkEffects(
  found: LoopbackEffects,
  confirmed: ProcessCount,
  callsOut: ProcessCount,
): EffectsCheck {
  const mismatches: string[] = [];
  const within = (name: keyof LoopbackEffects, low: number, high: number) => {
    const value = found[name];
    if (value < low || value > high)
      mismatches.push(`${name} ${value}, expected ${low === high ? low : `${low} to ${high}`}`);
  };
  within('groupMembers', confirmed.clean, confirmed.all);
  within('profiles', confirmed.clean, confirmed.all);
  within('published', confirmed.clean, confirmed.all);
  within('queued', 0, confirmed.all - confirmed.clean);
  within('captchaCalls', callsOut.clean, callsOut.all);
  return { found, confirmed, callsOut, mismatches };
}

/** One cell per row, size and assumption measured, in report order. */
function summarizeCells(
  measured: ReadonlyArray<{ job: ShareJob; sample: ShareSample }>,
  rows: readonly ShareRow[],
  memorySizes: readonly number[],
): ShareCell[] {
  return memorySizes.flatMap((memoryMb) =>
    INIT_ASSUMPTIONS.flatMap((assumption) =>
      rows.flatMap((row): ShareCell[] => {
        // Where both readings are one (a whole core), the same-share processes stand for both.
        const taken = assumptionsFor(memoryMb).includes(assumption) ? assumption : InitAssumption.SameShare;
        const samples = measured
          .filter(({ job }) => job.row === row.id && job.memoryMb === memoryMb && job.assumption === taken)
          .map(({ sample }) => sample);
        if (samples.length === 0) return [];
        return [
          {
            row: row.id,
            memoryMb,
            assumption,
            totalMs: summarize(samples.map((sample) => sample.totalMs)),
            initMs: summarize(samples.map((sample) => sample.initMs)),
            invocationMs: summarize(samples.map((sample) => sample.invocationMs)),
            problems: problemsOf(samples),
          },
        ];
      }),
    ),
  );
}

/**
 * Measures every row at every memory size under both init assumptions, `runs` processes each, after one
 * discarded process per row on a whole core (it fills the page cache and shows which SDK packages the
 * shipped design loads, which the init design then requires at module scope).
 */
export async function measureShares(settings: SharesSettings): Promise<SharesResult> {
  const controller = settings.controller ?? detectCpuController();
  const groups = settings.groups ?? SHARE_GROUPS;
  const rows = shareRows(groups);
  const unavailable = sharesUnavailableReason(controller, rows);
  if (unavailable !== undefined) return { kind: 'skipped', reason: unavailable };
  const root = join(settings.template.path, '..');
  const envVars = readJsonFile(join(root, 'events', 'env.json'));
  // The function serving post confirmation, whatever its logical id: its MemorySize is the template's default.
  const defaultMemoryMb = functionByTrigger(settings.template, TriggerName.PostConfirmation).memoryMb;

  settings.log(`shares: building ${rows.length} bundles…`);
  const built = new Map<string, Built>();
  for (const item of await Promise.all(
    rows.filter((row) => row.design !== SdkDesign.Init).map((row) => buildRow(settings, row)),
  )) {
    built.set(item.row.id, item);
  }

  settings.log('shares: starting cognito-local, dynalite, moto and the captcha provider on 127.0.0.1…');
  const services = rows.some((row) => row.callsOut) ? await startLoopbackServices() : undefined;
  // The custom sender rows: the run's code key and the SES/SNS stand-in they deliver to (the share processes
  // are spawned asynchronously, so this process answers them).
  const senders = rows.some((row) => row.event.kind === 'sender')
    ? await startSenderStandIn(join(settings.scratchDir, 'shares', 'inbox'))
    : undefined;
  try {
    const environments = new Map(
      rows.map((row) => [
        row.id,
        {
          ...applyEnvVars(anyFunctionByLogicalId(settings.template, row.function) as FunctionSpec, envVars),
          ...(services === undefined ? {} : row.env?.(services)),
          ...(row.event.kind === 'sender' ? senders?.environment : {}),
        },
      ]),
    );
    const events = new Map(rows.map((row) => [row.id, eventSource(row, services, root, senders)]));
    const processes = new Map<string, ProcessCount>();
    const sdkPackages = new Map<string, string[]>();

    const runOnce = async (
      row: ShareRow,
      memoryMb: number,
      assumption: InitAssumption,
      eventText: string,
      lower?: (weight: number) => void,
    ) => {
      const item = builtFor(built, row.id);
      const shares = sharesFor(memoryMb, assumption);
      const sample = await coldAtShare({
        bundlePath: item.bundlePath,
        exportName: item.exportName,
        functionName: row.function,
        memoryMb,
        environment: environments.get(row.id) ?? {},
        eventText,
        controller,
        share: shares.invocation,
        ...(shares.init === shares.invocation ? {} : { initShare: shares.init }),
        onInit: () => lower?.(shares.invocation),
      });
      sdkPackages.set(row.id, sample.sdkPackages);
      const count = processes.get(row.id) ?? { all: 0, clean: 0 };
      const clean = problemsOf([sample]).length === 0;
      processes.set(row.id, { all: count.all + 1, clean: count.clean + (clean ? 1 : 0) });
      return sample;
    };
    const eventFor = (row: ShareRow) => (events.get(row.id) as () => Promise<string>)();

    // Discarded, on a whole core; a failure here is reported, since the init design builds on what it loads.
    const warmUp = async (row: ShareRow) => {
      const sample = await runOnce(row, MEMORY_PER_VCPU_MB, InitAssumption.SameShare, await eventFor(row));
      const problems = problemsOf([sample]);
      if (problems.length > 0)
        settings.log(`shares: warning: ${row.id} on a whole core: ${problems.join('; ')}`);
    };
    settings.log('shares: one discarded process per row on a whole core…');
    for (const row of rows.filter((item) => item.design !== SdkDesign.Init)) await warmUp(row);
    const initRows = rows.filter((row) => row.design === SdkDesign.Init);
    for (const item of await Promise.all(
      initRows.map((row) => {
        const shipped = groups.find((group) => group.rows.includes(row))?.shipped ?? '';
        return buildRow(settings, row, sdkPackages.get(shipped) ?? []);
      }),
    )) {
      built.set(item.row.id, item);
    }
    for (const row of initRows) await warmUp(row);

    const jobs = planShareJobs(
      rows.map((row) => row.id),
      settings.memorySizes,
      settings.runs,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    // Every event first (users signed up in cognito-local), so no setup call competes with a measurement.
    const eventTexts = await Promise.all(jobs.map((job) => eventFor(byId.get(job.row) as ShareRow)));
    const budget = cpuBudgetFor(settings.cores);
    settings.log(
      `shares: ${jobs.length} processes (${settings.runs} rounds of every row, size and init assumption), at most ${SHARE_SLOTS} at once holding up to ${budget} core(s)…`,
    );
    let finished = 0;
    const tasks = jobs.map(
      (job, index): BudgetTask<{ job: ShareJob; sample: ShareSample }> => ({
        weight: sharesFor(job.memoryMb, job.assumption).init,
        async run(lower) {
          const row = byId.get(job.row) as ShareRow;
          const sample = await runOnce(row, job.memoryMb, job.assumption, eventTexts[index] ?? '', lower);
          finished += 1;
          if (finished % 50 === 0 || finished === jobs.length)
            settings.log(`shares: ${finished}/${jobs.length}`);
          return { job, sample };
        },
      }),
    );
    const measured = await runWithinBudget(tasks, { budget, slots: SHARE_SLOTS, window: 16 });

    const cells = summarizeCells(measured, rows, settings.memorySizes);
    const countOf = (kind: ShareRow['event']['kind']): ProcessCount =>
      rows
        .filter((row) => row.event.kind === kind)
        .map((row) => processes.get(row.id) ?? { all: 0, clean: 0 })
        .reduce((sum, count) => ({ all: sum.all + count.all, clean: sum.clean + count.clean }), {
          all: 0,
          clean: 0,
        });
    const effects =
      services === undefined
        ? undefined
        : checkEffects(
            await services.effects(),
            countOf('confirmed-sign-up'),
            countOf('pre-sign-up-calls-out'),
          );
    return {
      kind: 'measured',
      groups,
      memorySizes: [...settings.memorySizes],
      runs: settings.runs,
      budget,
      slots: SHARE_SLOTS,
      controller: `cgroup ${controller.kind}`,
      defaultMemoryMb,
      rows: rows.map((row) => {
        const item = builtFor(built, row.id);
        return {
          id: row.id,
          bytes: item.bytes,
          gzipBytes: item.gzipBytes,
          sdkPackages: sdkPackages.get(row.id) ?? [],
        };
      }),
      cells,
      ...(effects === undefined ? {} : { effects }),
    };
  } finally {
    await services?.stop();
    await senders?.close();
  }
}
