/**
 * What the share measurements cover (memory sizes, init assumptions), the order they run in, and how many
 * cores they may hold at once. Pure.
 */
import { cpuShareOf } from '../harness/cpu-share.js';

/** The memory sizes (MB) measured: Lambda's minimum, doublings from there, and one full vCPU. */
export const MEMORY_SIZES_MB: readonly number[] = [128, 256, 512, 1024, 1769];

/** What a quick run measures: 256 MB only (the template default before issue 11). */
export const QUICK_MEMORY_SIZES_MB: readonly number[] = [256];

/** Lambda's memory limits (MB). */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;

/** How much CPU the init phase gets: AWS does not document it, so both readings are measured. */
export const InitAssumption = {
  /** Init runs at the memory size's share, like the invocation (the conservative reading). */
  SameShare: 'same-share',
  /** Init runs on a full core, the invocation at the memory size's share. */
  FullCoreInit: 'full-core-init',
} as const;

/** One of {@link InitAssumption}. */
export type InitAssumption = (typeof InitAssumption)[keyof typeof InitAssumption];

/** Both assumptions, the conservative one first. */
export const INIT_ASSUMPTIONS: readonly InitAssumption[] = [
  InitAssumption.SameShare,
  InitAssumption.FullCoreInit,
];

/**
 * The assumptions that differ at `memoryMb`: at a whole core (1,769 MB and up) init gets a whole core either
 * way, so the one same-share measurement stands for both.
 */
export function assumptionsFor(memoryMb: number): readonly InitAssumption[] {
  return cpuShareOf(memoryMb) >= 1 ? [InitAssumption.SameShare] : INIT_ASSUMPTIONS;
}

/** The share of one core a process gets during its init and its invocation. */
export function sharesFor(
  memoryMb: number,
  assumption: InitAssumption,
): { init: number; invocation: number } {
  const invocation = cpuShareOf(memoryMb);
  return { init: assumption === InitAssumption.FullCoreInit ? 1 : invocation, invocation };
}

/** One process to run: a row at a memory size, under one init assumption, in one round. */
export type ShareJob = { round: number; row: string; memoryMb: number; assumption: InitAssumption };

/**
 * `rounds` rounds of every row × memory size × assumption that differs there, interleaved like the
 * whole-core cold starts: each round runs every combination once, starting one further down the list, so drift and position hit every
 * combination alike. Within a round the combinations go by memory size, so processes of similar shares run
 * side by side.
 */
export function planShareJobs(
  rows: readonly string[],
  memorySizes: readonly number[],
  rounds: number,
): ShareJob[] {
  const combinations = memorySizes.flatMap((memoryMb) =>
    assumptionsFor(memoryMb).flatMap((assumption) => rows.map((row) => ({ row, memoryMb, assumption }))),
  );
  const jobs: ShareJob[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (let step = 0; step < combinations.length; step += 1) {
      const combination = combinations[(round + step) % combinations.length];
      if (combination !== undefined) jobs.push({ round, ...combination });
    }
  }
  return jobs;
}

/**
 * The cores the measured processes may hold together: all but one, which stays for the loopback servers,
 * this process and the rest of the machine (at least one core either way).
 */
export function cpuBudgetFor(cores: number): number {
  return Math.max(1, cores - 1);
}

/**
 * How many measured processes run side by side at most. More would keep the machine busier, but the
 * loopback servers answer one request at a time and a queue there is charged to the cold starts. On the
 * 2-core machine the section was tuned on, medians with four side by side (post confirmation at 256 MB) were
 * within 10 % of one-at-a-time runs, about as far as two one-at-a-time runs are from each other; with up to
 * 20 side by side (1.5 cores of quota) they were two to three times slower.
 */
export const SHARE_SLOTS = 4;
