// Compiles one D2 file with D2.js (the D2 compiler in WebAssembly), as
// `d2 compile` would, and prints how long the compile took. Used by compare.sh.
//     node d2-compile.mjs FILE.d2
import { readFileSync } from 'node:fs';
import { D2 } from '@terrastruct/d2';

const source = readFileSync(process.argv[2], 'utf8');
const d2 = new D2();
const started = performance.now();
const result = await d2.compile(source);
const ms = performance.now() - started;
const shapes = result.diagram?.shapes?.length ?? 0;
console.log(`compiled ${shapes} shapes in ${ms.toFixed(0)} ms`);
process.exit(0);
