// One cold start under a CPU share, driven over IPC like the Lambda runtime drives a function: load the bundle
// (init), say so and wait for the event (the parent may move this process to another share in between), run
// one invocation, report. The parent times the phases from outside; this file adds what only the process
// sees: the bundle's require() time, the invocation alone, the SDK packages it loaded from node_modules.
'use strict';
const { invokeOnce, loadHandler } = require('./runtime.cjs');

const { handler, requireMs } = loadHandler();

/** `@aws-sdk/client-…` packages loaded from node_modules so far (none when the SDK is bundled in). */
function sdkPackages() {
  const packages = new Set();
  for (const path of Object.keys(require.cache)) {
    const match = /[\\/]node_modules[\\/](@aws-sdk[\\/]client-[^\\/]+)[\\/]/.exec(path);
    if (match !== null) packages.add(match[1].replace('\\', '/'));
  }
  return [...packages].sort();
}

process.once('message', (message) => {
  invokeOnce(handler, message.eventText).then(({ durationMs, outcome }) =>
    process.send(
      {
        kind: 'done',
        requireMs,
        invocationMs: durationMs,
        outcome,
        sdkPackages: sdkPackages(),
        maxRssKb: process.resourceUsage().maxRSS,
      },
      () => process.exit(0),
    ),
  );
});
process.send({ kind: 'ready' });
