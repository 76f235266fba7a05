// json-body.ts: JSON request bodies are parsed as fastify does (prototype poisoning refused), after a
// depth check: a body nested 100,000 deep parsed fine but overflowed the stack of whatever walked it
// next (String() of an array, a validator), a 500. Deeper than MAX_JSON_DEPTH is a 400 before parsing.

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LvzError } from '../engine/errors.ts';

/** No request of ours nests deeper than a group field's rows (about 5 levels). */
export const MAX_JSON_DEPTH = 64;

/** Whether the text nests `[`/`{` deeper than `max` (strings skipped); one pass, no parsing. */
export function isTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export const jsonBodyPlugin = fp(async (app: FastifyInstance) => {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (isTooDeep(body as string)) {
      done(new LvzError('LVZ_RUN_BAD_REQUEST', `请求内容嵌套超过 ${MAX_JSON_DEPTH} 层，未处理：请按接口文档发送数据`, { params: { maxDepth: MAX_JSON_DEPTH } }), undefined);
      return;
    }
    parse(request, body as string, done);
  });
});
