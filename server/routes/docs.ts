// docs.ts: OpenAPI for /api/v1 (@fastify/swagger) and its UI at /api/docs (@fastify/swagger-ui,
// assets served from node_modules, no CDN). Registered at the root so it sees every route.

import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const docsRoutes = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '履职 lvzhi API',
        version: '1.0.0',
        description: '建议、议案等流程的 JSON 接口。先用 POST /api/v1/tokens 以用户名和密码换取令牌，之后每个请求带上 `Authorization: Bearer <令牌>`。错误统一返回 `{ "error": { "code", "message", "params" } }`。',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Pages, static files and the docs themselves are not part of the API.
    transform: ({ schema, url }) => {
      if (!url.startsWith('/api/v1')) return { schema: { ...(schema ?? {}), hide: true } as never, url };
      return { schema: schema as never, url };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: false, validatorUrl: null } as never,
    staticCSP: false,
    // All the plugin lets us set in zh-CN is the page title; Swagger UI's own buttons (Authorize, Try it out,
    // Execute) and its `<html lang="en">` are fixed by the tool (docs/api.md).
    theme: { title: '履职 lvzhi 接口文档' },
  });
});
