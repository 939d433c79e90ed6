/**
 * Runs measured processes side by side as long as the CPU shares they hold fit in a budget of cores, so a
 * process held to 7 % of a core does not leave the machine idle, yet no process waits for a core its quota
 * would give it. Each task declares the share it holds now and lowers it when its init ends.
 */

/** One process to run: the share it starts with, and how to run it (`lower` when its share drops). */
export type BudgetTask<T> = {
  weight: number;
  run(lower: (weight: number) => void): Promise<T>;
};

/** Options of {@link runWithinBudget}. */
export type BudgetOptions = {
  /** Cores the running tasks may hold together. A task heavier than the budget runs alone. */
  budget: number;
  /**
   * How many tasks may run at once, whatever their shares: the services they call answer one request at a
   * time, and a queue there would be charged to the processes. Default: no limit but the budget.
   */
  slots?: number;
  /**
   * How far past the first waiting task to look for one that fits (1: strictly in order). The order is the
   * measurement's interleaving, so the window stays small.
   */
  window?: number;
};

// Shares are fractions such as 256/1769: a little slack keeps rounding from refusing an exact fit.
const EPSILON = 1e-9;

/**
 * Runs every task, in order as far as the budget allows, and resolves with their results in task order.
 * When a task fails, no further task starts and the first error is thrown once the running ones settle.
 */
export function runWithinBudget<T>(tasks: readonly BudgetTask<T>[], options: BudgetOptions): Promise<T[]> {
  const window = Math.max(1, options.window ?? 1);
  const slots = Math.max(1, options.slots ?? Number.POSITIVE_INFINITY);
  const results: T[] = new Array(tasks.length);
  const waiting = tasks.map((_, index) => index);
  let held = 0;
  let running = 0;
  let failure: { error: unknown } | undefined;

  return new Promise<T[]>((resolve, reject) => {
    const settleIfDone = () => {
      if (running > 0) return;
      if (failure !== undefined) reject(failure.error);
      else if (waiting.length === 0) resolve(results);
    };

    const start = (index: number) => {
      const task = tasks[index] as BudgetTask<T>;
      let weight = task.weight;
      held += weight;
      running += 1;
      const lower = (next: number) => {
        const lowered = Math.min(weight, next);
        held -= weight - lowered;
        weight = lowered;
        fill();
      };
      task
        .run(lower)
        .then(
          (value) => {
            results[index] = value;
          },
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => {
          held -= weight;
          running -= 1;
          fill();
          settleIfDone();
        });
    };

    function fill(): void {
      if (failure !== undefined) return;
      for (let position = 0; position < Math.min(window, waiting.length) && running < slots; ) {
        const index = waiting[position] as number;
        const weight = (tasks[index] as BudgetTask<T>).weight;
        const fits = held + weight <= options.budget + EPSILON && running < slots;
        if (running === 0 || fits) {
          waiting.splice(position, 1);
          start(index);
          continue;
        }
        position += 1;
      }
    }

    fill();
    settleIfDone();
  });
}
