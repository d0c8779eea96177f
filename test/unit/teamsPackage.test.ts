import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { projectRoot } from '../../src/config';
import { buildTeamsPackage, TEAMS_PACKAGE_FILES } from '../../scripts/package-teams';

const APP_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const PUBLIC_URL = 'https://onboarding.example.no/some/path';
const HOST = 'onboarding.example.no';

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`${what} is not an object`);
  return value;
}

const templateDir = path.join(projectRoot(), 'deploymentTemplates', 'teams');
const template = asObject(JSON.parse(fs.readFileSync(path.join(templateDir, 'manifest.json'), 'utf8')), 'manifest');
const manifestVersion = String(template.manifestVersion);
const schemaDir = path.join(
  projectRoot(),
  'node_modules/@microsoft/app-manifest/build/json-schemas/teams',
  'v' + manifestVersion,
);

function readSchema(file: string): JsonObject {
  const text = fs.readFileSync(path.join(schemaDir, file), 'utf8');
  // The Teams schemas declare draft-04. Ajv 8 speaks draft-07, which reads every keyword these
  // schemas use the same way; the draft-04-only forms (boolean exclusiveMinimum/Maximum, "id" as
  // a keyword) would not be, so make sure they are absent before dropping the draft-04 $schema.
  expect(text).not.toMatch(/"exclusive(Minimum|Maximum)"\s*:\s*(true|false)/);
  expect(text).not.toMatch(/"id"\s*:\s*"/);
  const schema = asObject(JSON.parse(text), file);
  expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  delete schema.$schema;
  return schema;
}

function compile(file: string): ValidateFunction {
  // strict: false — the official schemas carry keywords and formats strict mode rejects;
  // unicodeRegExp: false — some localization patterns (`\b]`) are not valid with the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(readSchema(file));
}

function errorsOf(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors, null, 2);
}

interface Unzipped {
  names: string[];
  manifest: JsonObject;
  nbNo: JsonObject;
  manifestText: string;
  nbNoText: string;
  color: PNG;
  outline: PNG;
}

async function unzip(zip: Buffer): Promise<Unzipped> {
  const archive = await JSZip.loadAsync(zip);
  const names = Object.keys(archive.files);
  const text = async (name: string): Promise<string> => {
    const entry = archive.file(name);
    if (!entry) throw new Error(`${name} missing from the package`);
    return entry.async('string');
  };
  const png = async (name: string): Promise<PNG> => {
    const entry = archive.file(name);
    if (!entry) throw new Error(`${name} missing from the package`);
    return PNG.sync.read(await entry.async('nodebuffer'));
  };
  const manifestText = await text('manifest.json');
  const nbNoText = await text('nb-no.json');
  return {
    names,
    manifestText,
    nbNoText,
    manifest: asObject(JSON.parse(manifestText), 'manifest.json'),
    nbNo: asObject(JSON.parse(nbNoText), 'nb-no.json'),
    color: await png('color.png'),
    outline: await png('outline.png'),
  };
}

describe('Teams app package', () => {
  let pkg: Unzipped;
  let validateManifest: ValidateFunction;
  let validateLocalization: ValidateFunction;

  beforeAll(async () => {
    pkg = await unzip(await buildTeamsPackage({ appId: APP_ID, publicUrl: PUBLIC_URL, version: '1.2.3' }));
    validateManifest = compile('MicrosoftTeams.schema.json');
    validateLocalization = compile('MicrosoftTeams.Localization.schema.json');
  });

  it('uses a manifest schema version between 1.19 and 1.30 whose schema ships with @microsoft/app-manifest', () => {
    const [major, minor] = manifestVersion.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(19);
    expect(minor).toBeLessThanOrEqual(30);
    expect(template.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
    );
    expect(fs.existsSync(schemaDir)).toBe(true);
  });

  it('holds exactly the manifest, the nb-no localization and both icons, at the zip root', () => {
    expect([...pkg.names].sort()).toEqual([...TEAMS_PACKAGE_FILES].sort());
  });

  it('has a manifest that is valid against the official Teams schema', () => {
    const valid = validateManifest(pkg.manifest);
    expect(errorsOf(validateManifest)).toBe('null');
    expect(valid).toBe(true);
  });

  it('has an nb-no file that is valid against the official localization schema', () => {
    const valid = validateLocalization(pkg.nbNo);
    expect(errorsOf(validateLocalization)).toBe('null');
    expect(valid).toBe(true);
    expect(pkg.nbNo.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.Localization.schema.json`,
    );
  });

  it('the schema check is not vacuous: a manifest without required fields or with a bad bot is rejected', () => {
    const withoutIcons: JsonObject = { ...pkg.manifest };
    delete withoutIcons.icons;
    expect(validateManifest(withoutIcons)).toBe(false);
    const badBot = { ...pkg.manifest, bots: [{ botId: 'not-a-guid', scopes: ['personal'] }] };
    expect(validateManifest(badBot)).toBe(false);
    expect(validateLocalization({ ...pkg.nbNo, 'name.short': 'x'.repeat(31) })).toBe(false);
  });

  it('declares one personal-scope bot whose id is the app id', () => {
    expect(pkg.manifest.id).toBe(APP_ID);
    const bots = pkg.manifest.bots;
    expect(Array.isArray(bots)).toBe(true);
    const list = bots as unknown[];
    expect(list).toHaveLength(1);
    const bot = asObject(list[0], 'bot');
    expect(bot.botId).toBe(APP_ID);
    expect(bot.botId).toBe(pkg.manifest.id);
    expect(bot.scopes).toEqual(['personal']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
  });

  it('asks for the camera (barcode scanning) and trusts the public host', () => {
    expect(pkg.manifest.devicePermissions).toEqual(['media']);
    expect(pkg.manifest.validDomains).toContain(HOST);
    const developer = asObject(pkg.manifest.developer, 'developer');
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
      expect(new URL(String(developer[key])).host).toBe(HOST);
    }
  });

  it('replaces every placeholder', () => {
    expect(pkg.manifestText).not.toMatch(/\{\{|\}\}/);
    expect(pkg.nbNoText).not.toMatch(/\{\{|\}\}/);
    expect(pkg.manifest.version).toBe('1.2.3');
    // and the template really has them, so this is not vacuous
    const templateText = fs.readFileSync(path.join(templateDir, 'manifest.json'), 'utf8');
    for (const token of ['{{MicrosoftAppId}}', '{{PUBLIC_HOST}}', '{{APP_VERSION}}']) {
      expect(templateText).toContain(token);
    }
  });

  it('defaults the version to package.json', async () => {
    const version = String(asObject(JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')), 'package.json').version);
    const other = await unzip(await buildTeamsPackage({ appId: APP_ID, publicUrl: 'https://bot.example.com' }));
    expect(other.manifest.version).toBe(version);
    expect(other.manifest.validDomains).toEqual(['bot.example.com']);
  });

  it('is localized: English by default, Norwegian bokmål in nb-no.json, with the same commands', () => {
    const info = asObject(pkg.manifest.localizationInfo, 'localizationInfo');
    expect(info.defaultLanguageTag).toBe('en-us');
    expect(info.additionalLanguages).toEqual([{ languageTag: 'nb-no', file: 'nb-no.json' }]);
    expect(String(pkg.nbNo['description.full'])).toMatch(/montør/i);
    expect(String(pkg.nbNo['description.full'])).toMatch(/ChargePoint University/);
    const bot = asObject((pkg.manifest.bots as unknown[])[0], 'bot');
    const commands = asObject((bot.commandLists as unknown[])[0], 'commandList').commands as unknown[];
    commands.forEach((_, i) => {
      expect(pkg.nbNo[`bots[0].commandLists[0].commands[${i}].title`]).toEqual(expect.any(String));
      expect(pkg.nbNo[`bots[0].commandLists[0].commands[${i}].description`]).toEqual(expect.any(String));
    });
    expect(pkg.nbNo[`bots[0].commandLists[0].commands[${commands.length}].title`]).toBeUndefined();
  });

  it('has a 192x192 opaque colour icon and a 32x32 white-on-transparent outline icon', () => {
    expect([pkg.color.width, pkg.color.height]).toEqual([192, 192]);
    expect([pkg.outline.width, pkg.outline.height]).toEqual([32, 32]);
    let opaque = 0;
    let transparent = 0;
    let notWhite = 0;
    const outline = pkg.outline.data;
    for (let i = 0; i < outline.length; i += 4) {
      if (outline[i + 3] === 0) transparent++;
      else {
        if (outline[i] !== 255 || outline[i + 1] !== 255 || outline[i + 2] !== 255) notWhite++;
        if (outline[i + 3] === 255) opaque++;
      }
    }
    expect(notWhite).toBe(0);
    expect(opaque).toBeGreaterThan(50);
    expect(transparent).toBeGreaterThan(300);
    const colours = new Set<string>();
    let translucent = 0;
    const color = pkg.color.data;
    for (let i = 0; i < color.length; i += 4) {
      if (color[i + 3] !== 255) translucent++;
      colours.add(`${color[i]},${color[i + 1]},${color[i + 2]}`);
    }
    expect(translucent).toBe(0);
    expect(colours.size).toBeGreaterThan(2);
  });

  it.each([
    ['', /MicrosoftAppId is missing/],
    ['not-a-guid', /MicrosoftAppId must be a GUID/],
    ['6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4', /MicrosoftAppId must be a GUID/],
    ['{6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b}', /MicrosoftAppId must be a GUID/],
  ])('rejects the app id %j', async (appId, message) => {
    await expect(buildTeamsPackage({ appId, publicUrl: PUBLIC_URL })).rejects.toThrow(message);
  });

  it.each([
    ['', /PUBLIC_URL is missing/],
    ['onboarding.example.no', /PUBLIC_URL must be an absolute https URL/],
    ['http://onboarding.example.no', /PUBLIC_URL must use https/],
  ])('rejects the public URL %j', async (publicUrl, message) => {
    await expect(buildTeamsPackage({ appId: APP_ID, publicUrl })).rejects.toThrow(message);
  });

  it('rejects a version Teams would not accept', async () => {
    await expect(buildTeamsPackage({ appId: APP_ID, publicUrl: PUBLIC_URL, version: '1.0' })).rejects.toThrow(/APP_VERSION/);
  });
});
