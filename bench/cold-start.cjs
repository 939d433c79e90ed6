// One cold start: a fresh process loads the bundle and runs one invocation of the recorded event. The parent
// times the whole process; this file reports what only the process itself can see.
'use strict';
const { invokeOnce, loadHandler, readEventText, report } = require('./runtime.cjs');

const { handler, requireMs } = loadHandler();
invokeOnce(handler, readEventText()).then(({ durationMs, outcome }) =>
  report({
    requireMs,
    firstInvocationMs: durationMs,
    outcome,
    // Kilobytes on Linux: the high-water mark of the whole process, init and first invocation included.
    maxRssKb: process.resourceUsage().maxRSS,
  }),
);
