// api-validator.ts: how /api/v1 checks what it is sent. JSON bodies are taken as typed: fastify's
// default ajv coerces (`true` -> "true", `["a"]` -> "a", "3" -> 3), which suits query strings and
// form posts, whose values are all text, but lets a wrong JSON type pass as another value. Bodies
// get an ajv without coercion, so a wrong type is a 400 naming the property; query strings and
// path parameters keep coercion (`?page=2` is text by nature).

import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const COMMON: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };

function instance(options: Options): Ajv {
  const ajv = new Ajv({ ...COMMON, ...options });
  (addFormats as unknown as (a: Ajv) => Ajv)(ajv);
  return ajv;
}

export function apiValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const typed = instance({ coerceTypes: false });
  const text = instance({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? typed : text).compile(schema as object);
}
