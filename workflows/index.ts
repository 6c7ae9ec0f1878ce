// Every workflow type the worker serves.
export { pingWorkflow } from './ping.js';
