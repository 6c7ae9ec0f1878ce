// YAML request bodies (pipelines as code): a content-type parser a route scope installs, so only the
// routes that take a spec as YAML accept it. Parsed within the server's body limit; a syntax error is a
// 400 invalid-spec naming line:column.
import type { FastifyInstance } from 'fastify';
import { parseYamlText, YamlSyntaxError } from '../core/pipeline-spec/load.js';
import { InvalidSpecError } from './services/errors.js';

/** The media types a YAML body may be sent as. */
export const yamlMediaTypes = ['application/yaml', 'application/x-yaml', 'text/yaml'] as const;

/** Makes `scope` parse YAML bodies into plain values, as JSON bodies are (the route validates them). */
export function acceptYamlBodies(scope: FastifyInstance): void {
  // parseAs 'string' reads the body under the server's bodyLimit (413 past it) before this runs.
  scope.addContentTypeParser([...yamlMediaTypes], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseYamlText(body as string));
    } catch (err) {
      if (err instanceof YamlSyntaxError)
        done(new InvalidSpecError(`body: ${err.message}`, [{ field: 'body', rule: err.message }]));
      else done(err as Error);
    }
  });
}
