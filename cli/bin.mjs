#!/usr/bin/env node
// The `ferry` bin: registers tsx's loader (the CLI is TypeScript, run as the rest of the repo is) and
// starts cli/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
