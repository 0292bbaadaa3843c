// npm run epcis:examples: writes docs/epcis-examples.md (render.ts says what it is).
import { writeFileSync } from 'node:fs';
import { EXAMPLES_PATH, renderEpcisExamples } from './render.js';

writeFileSync(EXAMPLES_PATH, await renderEpcisExamples());
console.log(`wrote ${EXAMPLES_PATH}`);
