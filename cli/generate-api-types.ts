// Writes core/contracts/http-api.ts, the types of every API route that the CLI and the web console
// both import (neither may import the API itself), from the API's OpenAPI document (a file or the URL of a running API's /docs/json):
// `npm run cli:api-types -- <file|url>`. The test test/integration/cli-api-types.test.ts fails when a
// checked-in file no longer matches the API.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

/** The path of the generated file. */
export const apiTypesPath = fileURLToPath(new URL('../core/contracts/http-api.ts', import.meta.url));

const header =
  "// Generated from the API's OpenAPI document by cli/generate-api-types.ts: do not edit by hand\n" +
  '// (`npm run cli:api-types -- <openapi.json|url>` rewrites it).\n';

/** The TypeScript module for this OpenAPI document, formatted as the repository formats code. */
export async function apiTypesSource(doc: OpenAPI3): Promise<string> {
  const ast = await openapiTS(doc, { alphabetize: true });
  const options = (await resolveConfig(apiTypesPath)) ?? {};
  return format(header + astToString(ast), { ...options, filepath: apiTypesPath });
}

async function loadDocument(source: string): Promise<OpenAPI3> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${source}: HTTP ${res.status}`);
    return (await res.json()) as OpenAPI3;
  }
  return JSON.parse(await readFile(source, 'utf8')) as OpenAPI3;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  if (!source) {
    console.error('usage: npm run cli:api-types -- <openapi.json|http://host:port/docs/json>');
    process.exitCode = 2;
  } else {
    await writeFile(apiTypesPath, await apiTypesSource(await loadDocument(source)));
    console.log(`wrote ${apiTypesPath}`);
  }
}
