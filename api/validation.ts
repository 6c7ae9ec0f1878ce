// Request validation for every Ferry app (the API and the serving process): one Ajv for the parts that
// arrive as text (query string, path parameters, headers), which coerces them to the schema's types, and
// one for JSON bodies, which already carry types: there a number is not a string and null is not false.
import { Ajv, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

const options: Options = {
  removeAdditional: false,
  useDefaults: true,
  allErrors: true,
  // Each route compiles its own schemas; none is looked up by $id.
  addUsedSchema: false,
  // `x-rule` is an annotation: the rule a 400 names when the schema's pattern refuses a value, for
  // patterns too long to read (verbose gives the error handler the schema that failed).
  keywords: ['x-rule'],
  verbose: true,
};

/** The validator compiler to install with `app.setValidatorCompiler`. */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const text = new Ajv({ ...options, coerceTypes: 'array' });
  const json = new Ajv({ ...options, coerceTypes: false });
  return ({ schema, httpPart }) => (httpPart === 'body' ? json : text).compile(schema as object);
}
