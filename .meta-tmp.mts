import { build } from 'esbuild';
for (const entry of ['triggers/pre-sign-up/handler.ts','triggers/custom-message/handler.ts','triggers/post-confirmation/handler.ts']) {
  const r = await build({ entryPoints: [entry], bundle: true, minify: true, platform: 'node', target: 'node22', format: 'esm', write: false, metafile: true, external: ['@aws-sdk/*'], outfile: '/tmp/out.mjs' });
  const out = Object.values(r.metafile.outputs)[0];
  console.log(entry, out.bytes);
  for (const [k, v] of Object.entries(out.inputs)) if (/core-trigger|custom-sender|compiled|notification/.test(k)) console.log('  ', k, v.bytesInOutput);
}
