/**
 * Builds the Microsoft Teams app package (build/teams-app.zip) from deploymentTemplates/teams/.
 *
 *   MicrosoftAppId=<bot app id (GUID)> PUBLIC_URL=https://<public host> npm run package:teams
 *
 * Optional: APP_VERSION (defaults to the version in package.json).
 * `node dist/scripts/package-teams.js --icons` redraws color.png and outline.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { projectRoot } from '../src/config';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface TeamsPackageOptions {
  /** The bot's Microsoft App Id (for a user-assigned managed identity: its client id). Used as bot id and app id. */
  appId: string;
  /** The public https URL the bot is served on; its host becomes the valid domain and developer URL host. */
  publicUrl: string;
  /** App version, MAJOR.MINOR.PATCH; defaults to the version in package.json. */
  version?: string;
}

/** Files placed at the root of the package, in this order. */
export const TEAMS_PACKAGE_FILES = ['manifest.json', 'nb-no.json', 'color.png', 'outline.png'] as const;

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const VERSION = /^\d{1,9}\.\d{1,9}\.\d{1,9}$/;
const PLACEHOLDER = /\{\{[A-Za-z_][A-Za-z0-9_]*\}\}/g;

export function teamsTemplateDir(): string {
  return path.join(projectRoot(), 'deploymentTemplates', 'teams');
}

function packageVersion(): string {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8'));
  if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') {
    return pkg.version;
  }
  throw new Error('package.json has no version');
}

/** Checks the options and returns the placeholder values; the error names the environment variable to fix. */
export function placeholderValues(options: TeamsPackageOptions): Record<string, string> {
  const appId = (options.appId ?? '').trim();
  if (!appId) throw new Error('MicrosoftAppId is missing: set it to the bot\'s Microsoft App Id (a GUID).');
  if (!GUID.test(appId)) {
    throw new Error(`MicrosoftAppId must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got "${appId}".`);
  }
  const publicUrl = (options.publicUrl ?? '').trim();
  if (!publicUrl) throw new Error('PUBLIC_URL is missing: set it to the public https URL of the bot.');
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute https URL, got "${publicUrl}".`);
  }
  if (url.protocol !== 'https:') {
    throw new Error(`PUBLIC_URL must use https (Teams only loads https content), got "${publicUrl}".`);
  }
  const version = (options.version ?? packageVersion()).trim();
  if (!VERSION.test(version)) {
    throw new Error(`APP_VERSION must be MAJOR.MINOR.PATCH (for example 1.0.0), got "${version}".`);
  }
  return {
    MicrosoftAppId: appId.toLowerCase(),
    PUBLIC_HOST: url.host,
    APP_VERSION: version,
  };
}

function fillPlaceholders(value: Json, values: Record<string, string>, file: string): Json {
  if (typeof value === 'string') {
    const filled = value.replace(PLACEHOLDER, (token) => {
      const name = token.slice(2, -2);
      const replacement = values[name];
      if (replacement === undefined) throw new Error(`${file}: unknown placeholder ${token}`);
      return replacement;
    });
    return filled;
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, values, file));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) out[key] = fillPlaceholders(item, values, file);
    return out;
  }
  return value;
}

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(teamsTemplateDir(), file), 'utf8')) as Json;
}

/** Builds the Teams app package (a zip with the manifest, its nb-no localization and both icons at the root). */
export async function buildTeamsPackage(options: TeamsPackageOptions): Promise<Buffer> {
  const values = placeholderValues(options);
  const zip = new JSZip();
  const date = new Date('2020-01-01T00:00:00Z'); // fixed, so the same input gives the same zip
  for (const file of TEAMS_PACKAGE_FILES) {
    if (file.endsWith('.json')) {
      const filled = fillPlaceholders(readJson(file), values, file);
      zip.file(file, JSON.stringify(filled, null, 2) + '\n', { date });
    } else {
      zip.file(file, fs.readFileSync(path.join(teamsTemplateDir(), file)), { date });
    }
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

// ---------------------------------------------------------------------------------------------
// Icons: a white lightning bolt; on the brand colour (color.png, 192x192) or on transparent
// (outline.png, 32x32, white only, as Teams requires).

export const ACCENT_COLOR = { red: 0xf3, green: 0x6c, blue: 0x21 }; // #F36C21, the manifest's accentColor

/** The bolt as a polygon in a unit square. */
const BOLT: ReadonlyArray<readonly [number, number]> = [
  [0.56, 0.02],
  [0.2, 0.58],
  [0.47, 0.58],
  [0.38, 0.98],
  [0.82, 0.4],
  [0.55, 0.4],
  [0.72, 0.02],
];

function insidePolygon(x: number, y: number, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Coverage (0..1) of the bolt over one pixel, by 4x4 supersampling; the bolt fills [offset, offset+scale]. */
function boltCoverage(px: number, py: number, offset: number, scale: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const x = (px + (sx + 0.5) / 4 - offset) / scale;
      const y = (py + (sy + 0.5) / 4 - offset) / scale;
      if (insidePolygon(x, y, BOLT)) hits++;
    }
  }
  return hits / 16;
}

export function drawColorIcon(): Buffer {
  const size = 192;
  const png = new PNG({ width: size, height: size });
  const boltSize = 112;
  const offset = (size - boltSize) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = boltCoverage(x, y, offset, boltSize);
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(ACCENT_COLOR.red + (255 - ACCENT_COLOR.red) * c);
      png.data[i + 1] = Math.round(ACCENT_COLOR.green + (255 - ACCENT_COLOR.green) * c);
      png.data[i + 2] = Math.round(ACCENT_COLOR.blue + (255 - ACCENT_COLOR.blue) * c);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export function drawOutlineIcon(): Buffer {
  const size = 32;
  const png = new PNG({ width: size, height: size });
  const boltSize = 28;
  const offset = (size - boltSize) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = boltCoverage(x, y, offset, boltSize);
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(255 * c);
    }
  }
  return PNG.sync.write(png);
}

export function writeIcons(dir: string = teamsTemplateDir()): void {
  fs.writeFileSync(path.join(dir, 'color.png'), drawColorIcon());
  fs.writeFileSync(path.join(dir, 'outline.png'), drawOutlineIcon());
}

async function main(): Promise<void> {
  if (process.argv.includes('--icons')) {
    writeIcons();
    console.log('Icons written to ' + teamsTemplateDir());
    return;
  }
  const zip = await buildTeamsPackage({
    appId: process.env.MicrosoftAppId ?? '',
    publicUrl: process.env.PUBLIC_URL ?? '',
    version: process.env.APP_VERSION || undefined,
  });
  const out = path.join(projectRoot(), 'build', 'teams-app.zip');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, zip);
  console.log(out);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('package-teams: ' + (error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  });
}
