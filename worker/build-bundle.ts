// `npm run build:workflows`: force a fresh workflow bundle.
import { buildWorkflowBundle } from './bundle.js';

const { path } = await buildWorkflowBundle(true);
console.log(`workflow bundle written to ${path}`);
