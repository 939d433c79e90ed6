import { describe, expect, it } from 'vitest';
import { type BudgetTask, runWithinBudget } from '../../../bench/cpu-budget.js';

/** A task that records when it starts and ends, and finishes when the test says so. */
function controlledTask(name: string, weight: number, log: string[], lowerTo?: number) {
  let finish: () => void = () => {};
  let lower: (weight: number) => void = () => {};
  const task: BudgetTask<string> = {
    weight,
    run(lowerWeight) {
      log.push(`start ${name}`);
      lower = lowerWeight;
      return new Promise<string>((resolve) => {
        finish = () => {
          log.push(`end ${name}`);
          resolve(name);
        };
      });
    },
  };
  return {
    task,
    finish: () => finish(),
    initDone: () => {
      if (lowerTo !== undefined) lower(lowerTo);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Bench: runWithinBudget', () => {
  it('starts tasks side by side while their shares fit the budget', async () => {
    // Prepare
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((name) => controlledTask(name, 0.4, log));

    // Act
    const done = runWithinBudget(
      tasks.map((item) => item.task),
      { budget: 1 },
    );
    await tick();
    const started = [...log];
    for (const item of tasks) {
      item.finish();
      await tick();
    }

    // Assess
    expect({ started, results: await done }).toEqual({
      started: ['start a', 'start b'],
      results: ['a', 'b', 'c'],
    });
  });

  it('never runs more tasks at once than the slots allow', async () => {
    // Prepare
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((name) => controlledTask(name, 0.1, log));

    // Act
    const done = runWithinBudget(
      tasks.map((item) => item.task),
      { budget: 1, slots: 2 },
    );
    await tick();
    const started = [...log];
    for (const item of tasks) {
      item.finish();
      await tick();
    }
    await done;

    // Assess
    expect(started).toEqual(['start a', 'start b']);
  });

  it('starts the next task once a running one lowers its share', async () => {
    // Prepare
    const log: string[] = [];
    const first = controlledTask('init-on-a-core', 1, log, 0.2);
    const second = controlledTask('small', 0.2, log);

    // Act
    const done = runWithinBudget([first.task, second.task], { budget: 1 });
    await tick();
    first.initDone();
    await tick();
    const started = [...log];
    first.finish();
    second.finish();
    await done;

    // Assess
    expect(started).toEqual(['start init-on-a-core', 'start small']);
  });

  it('runs a task heavier than the budget alone rather than never', async () => {
    // Prepare
    const log: string[] = [];
    const heavy = controlledTask('heavy', 2, log);

    // Act
    const done = runWithinBudget([heavy.task], { budget: 1 });
    await tick();
    heavy.finish();

    // Assess
    expect(await done).toEqual(['heavy']);
  });

  it('looks past a waiting task that does not fit, within the window', async () => {
    // Prepare
    const log: string[] = [];
    const running = controlledTask('running', 0.5, log);
    const big = controlledTask('big', 1, log);
    const small = controlledTask('small', 0.5, log);

    // Act
    const done = runWithinBudget([running.task, big.task, small.task], { budget: 1, window: 2 });
    await tick();
    const started = [...log];
    running.finish();
    small.finish();
    await tick();
    big.finish();
    await done;

    // Assess
    expect(started).toEqual(['start running', 'start small']);
  });

  it('starts nothing more after a failure and rejects with it once the running tasks settle', async () => {
    // Prepare
    const log: string[] = [];
    const failing: BudgetTask<string> = { weight: 1, run: () => Promise.reject(new Error('spawn failed')) };
    const later = controlledTask('later', 1, log);

    // Act
    const outcome = await runWithinBudget([failing, later.task], { budget: 1 }).catch(
      (error: unknown) => error,
    );

    // Assess
    expect({ outcome, log }).toEqual({ outcome: new Error('spawn failed'), log: [] });
  });

  it('resolves at once with no tasks', async () => {
    // Prepare
    const tasks: BudgetTask<string>[] = [];

    // Act
    const results = await runWithinBudget(tasks, { budget: 1 });

    // Assess
    expect(results).toEqual([]);
  });
});
