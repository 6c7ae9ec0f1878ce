// The web console at /ui: the built front end (ui/dist, FERRY_UI_DIR) as static files. index.html is
// never cached (it names the current assets); hashed assets under /ui/assets/ are cached for good;
// any other /ui/* path is a deep link and gets index.html. Security headers (CSP and others) apply to
// /ui only. Without a build, /ui answers 503 saying how to make one.
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpProblem } from '../problem.js';

const noCache = 'no-cache';
const immutable = 'public, max-age=31536000, immutable';

/** Registered with `{ prefix: '/ui' }`. */
export async function consoleUiPlugin(
  app: FastifyInstance,
  o: { uiDir: string; tls: boolean },
): Promise<void> {
  // Static files for anyone (the page signs in itself); not audited, not in the API document.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true, audit: false };
    route.schema = { ...route.schema, hide: true };
  });
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Chart and component libraries set style attributes at run time; scripts stay 'self' only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only meaningful (and only honoured by browsers) over HTTPS.
    strictTransportSecurity: o.tls,
  });

  const indexFile = join(o.uiDir, 'index.html');
  const notBuilt = () =>
    new HttpProblem(
      503,
      'ui-not-built',
      `the web console is not built (no ${indexFile}): run \`npm run build:ui\` (\`npm start\` and \`npm test\` build it)`,
    );
  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(indexFile)) throw notBuilt();
    return reply.header('cache-control', noCache).type('text/html; charset=utf-8').sendFile('index.html');
  };

  await app.register(fastifyStatic, {
    root: o.uiDir,
    prefix: '/',
    // The folder may appear after start-up (a build while the API runs): no warning, no glob at start.
    wildcard: true,
    suppressWarning: true,
    index: false,
    cacheControl: false,
    dotfiles: 'ignore',
    setHeaders: (reply, path) => {
      const inAssets = relative(o.uiDir, path).startsWith(`assets${sep}`);
      reply.header('cache-control', inAssets ? immutable : noCache);
    },
  });
  // /ui itself: the page's relative URLs need the trailing slash.
  app.get('', (_req, reply) => reply.redirect('/ui/', 301));
  app.get('/', { prefixTrailingSlash: 'slash' }, (_req, reply) => sendIndex(reply));
  // A file that does not exist: a missing asset is a 404; any other path is a deep link into the page.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpProblem(404, 'route-not-found', `no route ${req.method} ${path}`);
    if (path.startsWith('/ui/assets/')) throw new HttpProblem(404, 'not-found', `no asset ${path}`);
    return sendIndex(reply);
  });
}
