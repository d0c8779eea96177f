import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'restify';
import { SITE_CSS } from './pages/layout';

const teamsPackageJson = require.resolve('@microsoft/teams-js/package.json');
const TEAMS_JS_FILE = path.join(path.dirname(teamsPackageJson), 'dist', 'umd', 'MicrosoftTeams.min.js');
const TEAMS_JS_VERSION = (JSON.parse(fs.readFileSync(teamsPackageJson, 'utf8')) as { version: string }).version;

/** The URL pages use for teams-js (the version busts caches on upgrade). */
export const TEAMS_JS_URL = `/static/teams-js.js?v=${encodeURIComponent(TEAMS_JS_VERSION)}`;
export const SITE_CSS_URL = '/static/site.css';

const CACHE_ONE_DAY = 'public, max-age=86400';

/** Serves GET /static/teams-js.js (the @microsoft/teams-js UMD bundle) and GET /static/site.css. */
export function registerStaticAssets(server: Server): void {
  let teamsJs: Buffer | undefined;

  server.get('/static/teams-js.js', async (_req, res) => {
    teamsJs ??= await fs.promises.readFile(TEAMS_JS_FILE);
    res.writeHead(200, {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Content-Length': String(teamsJs.length),
      'Cache-Control': CACHE_ONE_DAY,
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(teamsJs);
  });

  const css = Buffer.from(SITE_CSS, 'utf8');
  server.get('/static/site.css', async (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Content-Length': String(css.length),
      'Cache-Control': CACHE_ONE_DAY,
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(css);
  });
}
