// `npm run docs:spec`: writes docs/pipeline-spec.md from the zod schema (core/pipeline-spec/reference.ts),
// formatted by the repository's Prettier settings so `prettier --check` accepts the page as written.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { renderSpecReference } from '../../core/pipeline-spec/reference.js';

/** Where the page lives. */
export const specReferencePath = fileURLToPath(new URL('../../docs/pipeline-spec.md', import.meta.url));

/** The page exactly as it should be checked in. */
export async function specReferenceMarkdown(): Promise<string> {
  const options = await prettier.resolveConfig(specReferencePath);
  return prettier.format(renderSpecReference(), { ...options, filepath: specReferencePath });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === join(process.argv[1])) {
  await writeFile(specReferencePath, await specReferenceMarkdown());
  console.log(`wrote ${specReferencePath}`);
}
