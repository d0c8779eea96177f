import fs from 'node:fs';
import path from 'node:path';
import { environmentSchema, projectRoot } from '../../src/config';

// ---------------------------------------------------------------------------------------------
// Shapes of the files under test (only what the checks read).

interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
  minLength?: number;
  maxLength?: number;
  metadata?: { description?: string };
}

interface AppSetting {
  name: string;
  value: string;
}

interface ArmResource {
  type: string;
  apiVersion: string;
  name: string;
  location?: string;
  kind?: string;
  sku?: { name: string };
  dependsOn?: string[];
  identity?: { type: string; userAssignedIdentities?: Record<string, unknown> };
  properties?: {
    reserved?: boolean;
    serverFarmId?: string;
    httpsOnly?: boolean;
    siteConfig?: {
      linuxFxVersion?: string;
      appCommandLine?: string;
      alwaysOn?: boolean;
      ftpsState?: string;
      minTlsVersion?: string;
      healthCheckPath?: string;
      appSettings?: AppSetting[];
    };
    endpoint?: string;
    msaAppType?: string;
    msaAppId?: string;
    msaAppMSIResourceId?: string;
    msaAppTenantId?: string;
    channelName?: string;
    properties?: { isEnabled?: boolean; sites?: Array<{ isEnabled?: boolean; isV3Enabled?: boolean }> };
  };
}

interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, ArmParameter>;
  variables: Record<string, unknown>;
  resources: ArmResource[];
  outputs: Record<string, { type: string; value: unknown }>;
}

interface KeyVaultReference {
  keyVault: { id: string };
  secretName: string;
}

interface ParametersFile {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { value?: unknown; reference?: KeyVaultReference }>;
}

const root = projectRoot();
const azureDir = path.join(root, 'deploymentTemplates', 'azure');
const readText = (file: string): string => fs.readFileSync(file, 'utf8');
const readJson = <T>(file: string): T => JSON.parse(readText(file)) as T;

const templateText = readText(path.join(azureDir, 'azuredeploy.json'));
const template = JSON.parse(templateText) as ArmTemplate;
const parameterFiles = fs
  .readdirSync(azureDir)
  .filter((f) => /^azuredeploy\.parameters(\.[a-z0-9-]+)?\.json$/.test(f))
  .sort();
const packageJson = readJson<{ main: string; scripts: Record<string, string> }>(path.join(root, 'package.json'));

const environmentKeys = Object.keys(environmentSchema.shape) as Array<keyof typeof environmentSchema.shape>;

function resourcesOfType(type: string): ArmResource[] {
  return template.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

function onlyResource(type: string): ArmResource {
  const found = resourcesOfType(type);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function webApp(): ArmResource {
  return onlyResource('Microsoft.Web/sites');
}

function appSettings(): AppSetting[] {
  return webApp().properties?.siteConfig?.appSettings ?? [];
}

function appSetting(name: string): string | undefined {
  return appSettings().find((s) => s.name === name)?.value;
}

/** Environment variables of src/config.ts that the web app does not set. */
function missingAppSettings(keys: readonly string[]): string[] {
  const names = new Set(appSettings().map((s) => s.name));
  return keys.filter((k) => !names.has(k));
}

/** Names used as parameters('x') / variables('x') anywhere in the given text. */
function referenced(kind: 'parameters' | 'variables', text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(new RegExp(`\\b${kind}\\('([^']+)'\\)`, 'g'))) names.add(match[1]!);
  return names;
}

/** `[parameters('x')]` → 'x'; anything else → undefined. */
function parameterOf(expression: string): string | undefined {
  return /^\[parameters\('([^']+)'\)\]$/.exec(expression)?.[1];
}

function isKeyVaultReference(value: unknown): value is KeyVaultReference {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Partial<KeyVaultReference>;
  return typeof ref.secretName === 'string' && typeof ref.keyVault?.id === 'string';
}

/** Does the value parse with the config schema's rule for that variable? */
function acceptedByConfig(key: string, value: string): boolean {
  const shape = environmentSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const rule = shape[key];
  if (!rule) throw new Error(`${key} is not in environmentSchema`);
  return rule.safeParse(value).success;
}

const IDENTITY_CLIENT_ID = "reference(variables('identityId'), '2023-01-31').clientId";

describe('Azure ARM template (deploymentTemplates/azure/azuredeploy.json)', () => {
  it('is an ARM deployment template', () => {
    expect(template.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const resource of template.resources) {
      expect(resource.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
    }
  });

  it('creates a user-assigned identity and a Linux App Service plan', () => {
    onlyResource('Microsoft.ManagedIdentity/userAssignedIdentities');
    const plan = onlyResource('Microsoft.Web/serverfarms');
    expect(plan.properties?.reserved).toBe(true);
    expect(plan.kind).toBe('linux');
    expect(plan.sku?.name).toBeDefined();
  });

  it('creates a hardened Node 20 web app, started from the built artefact, with the identity attached', () => {
    const site = webApp();
    const config = site.properties?.siteConfig;
    expect(site.properties?.httpsOnly).toBe(true);
    expect(site.properties?.serverFarmId).toContain('Microsoft.Web/serverfarms');
    expect(config?.linuxFxVersion).toBe('NODE|20-lts');
    expect(config?.alwaysOn).toBe(true);
    expect(config?.ftpsState).toBe('Disabled');
    expect(config?.minTlsVersion).toBe('1.2');
    expect(config?.healthCheckPath).toBe('/healthz');
    expect(config?.appCommandLine).toBe(`node ${packageJson.main}`);
    expect(site.identity?.type).toBe('UserAssigned');
    expect(Object.keys(site.identity?.userAssignedIdentities ?? {})).toEqual(["[variables('identityId')]"]);
    expect(String(template.variables.identityId)).toContain('Microsoft.ManagedIdentity/userAssignedIdentities');
  });

  it('creates an Azure Bot on the managed identity that posts to the web app', () => {
    const bot = onlyResource('Microsoft.BotService/botServices');
    expect(bot.kind).toBe('azurebot');
    expect(bot.location).toBe('global');
    expect(bot.properties?.msaAppType).toBe('UserAssignedMSI');
    expect(bot.properties?.msaAppId).toBe(`[${IDENTITY_CLIENT_ID}]`);
    expect(bot.properties?.msaAppMSIResourceId).toBe("[variables('identityId')]");
    expect(bot.properties?.msaAppTenantId).toBe('[subscription().tenantId]');
    expect(bot.properties?.endpoint).toBe("[variables('messagingEndpoint')]");
    expect(template.variables.messagingEndpoint).toBe("[format('{0}/api/messages', variables('publicUrl'))]");
    expect(template.variables.publicUrl).toBe("[format('https://{0}.azurewebsites.net', parameters('webAppName'))]");
    // the app authenticates as the same identity the bot is registered with
    expect(appSetting('MicrosoftAppId')).toBe(bot.properties?.msaAppId);
    expect(appSetting('MicrosoftAppType')).toBe(bot.properties?.msaAppType);
    expect(appSetting('MicrosoftAppTenantId')).toBe(bot.properties?.msaAppTenantId);
    expect(appSetting('PUBLIC_URL')).toBe("[variables('publicUrl')]");
  });

  it('enables the Microsoft Teams and Direct Line channels on the bot', () => {
    const channels = resourcesOfType('Microsoft.BotService/botServices/channels');
    const byName = new Map(channels.map((c) => [c.properties?.channelName, c]));
    const teams = byName.get('MsTeamsChannel');
    expect(teams?.properties?.properties?.isEnabled).toBe(true);
    expect(teams?.name).toContain('MsTeamsChannel');
    const directLine = byName.get('DirectLineChannel');
    expect(directLine?.properties?.properties?.sites?.[0]).toMatchObject({ isEnabled: true, isV3Enabled: true });
    for (const channel of channels) {
      expect(channel.dependsOn).toContain("[resourceId('Microsoft.BotService/botServices', parameters('botName'))]");
    }
  });

  it('sets every environment variable of src/config.ts as an app setting', () => {
    expect(environmentKeys.length).toBeGreaterThan(10);
    expect(missingAppSettings(environmentKeys)).toEqual([]);
    // the check bites: a variable added to the config but not to Azure is reported
    expect(missingAppSettings([...environmentKeys, 'SOME_NEW_VARIABLE'])).toEqual(['SOME_NEW_VARIABLE']);
    const names = appSettings().map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const setting of appSettings()) expect(typeof setting.value).toBe('string');
  });

  it('computes the platform settings', () => {
    expect(appSetting('MicrosoftAppType')).toBe('UserAssignedMSI');
    expect(appSetting('MicrosoftAppPassword')).toBe('');
    expect(appSetting('PORT')).toBe('8080');
    expect(appSetting('WEBSITES_PORT')).toBe(appSetting('PORT'));
    expect(appSetting('DATA_DIR')).toBe('/home/data');
    expect(appSetting('SCM_DO_BUILD_DURING_DEPLOYMENT')).toBeDefined();
  });

  it('gives every app setting a value the config accepts', () => {
    const checked: string[] = [];
    for (const { name, value } of appSettings()) {
      if (!(environmentKeys as string[]).includes(name)) continue;
      const candidates: string[] = [];
      const parameter = parameterOf(value);
      const branches = /^\[if\(parameters\('[^']+'\), '([^']*)', '([^']*)'\)\]$/.exec(value);
      if (!value.startsWith('[')) candidates.push(value);
      else if (branches) candidates.push(branches[1]!, branches[2]!);
      else if (parameter) {
        const declared = template.parameters[parameter]!;
        if (declared.type === 'securestring') continue; // placeholders / Key Vault references
        for (const allowed of declared.allowedValues ?? []) candidates.push(String(allowed));
        if (typeof declared.defaultValue === 'string' && !declared.defaultValue.startsWith('[')) {
          candidates.push(declared.defaultValue);
        }
        for (const file of parameterFiles) {
          const given = readJson<ParametersFile>(path.join(azureDir, file)).parameters[parameter]?.value;
          if (typeof given === 'string') candidates.push(given);
        }
      } else continue; // computed at deployment time (identity client id, tenant, public URL)
      for (const candidate of candidates) {
        expect({ name, candidate, accepted: acceptedByConfig(name, candidate) }).toEqual({ name, candidate, accepted: true });
      }
      if (candidates.length > 0) checked.push(name);
    }
    expect(checked).toEqual(expect.arrayContaining(['PORT', 'DATA_DIR', 'LOG_LEVEL', 'LOG_TRANSCRIPTS', 'MAIL_FROM', 'SUPPORT_EMAIL']));
    // LOG_TRANSCRIPTS must be the lower-case words the config reads (string(false) would be 'False')
    expect(appSetting('LOG_TRANSCRIPTS')).toBe("[if(parameters('logTranscripts'), 'true', 'false')]");
  });

  it('declares every parameter and variable it uses, and uses every parameter it declares', () => {
    const usedParameters = referenced('parameters', templateText);
    const usedVariables = referenced('variables', templateText);
    expect([...usedParameters].filter((p) => !(p in template.parameters))).toEqual([]);
    expect([...usedVariables].filter((v) => !(v in template.variables))).toEqual([]);
    expect(Object.keys(template.parameters).filter((p) => !usedParameters.has(p))).toEqual([]);
  });

  it('takes secrets only as securestring parameters', () => {
    for (const key of ['TOKEN_SECRET', 'DATA_URL', 'SMTP_URL', 'DIRECT_LINE_SECRET']) {
      const parameter = parameterOf(appSetting(key) ?? '');
      expect({ key, parameter }).toEqual({ key, parameter: expect.any(String) });
      expect({ key, type: template.parameters[parameter!]!.type }).toEqual({ key, type: 'securestring' });
    }
    for (const [name, declared] of Object.entries(template.parameters)) {
      if (/secret|password/i.test(name)) expect({ name, type: declared.type }).toEqual({ name, type: 'securestring' });
      if (declared.type === 'securestring' && declared.defaultValue !== undefined) expect(declared.defaultValue).toBe('');
    }
    expect(template.parameters.tokenSecret!.minLength).toBeGreaterThanOrEqual(32);
  });

  it('requires a mail server and keeps the development doors shut (the app refuses a public URL without SMTP_URL)', () => {
    const smtp = template.parameters[parameterOf(appSetting('SMTP_URL') ?? '')!]!;
    expect({ defaultValue: smtp.defaultValue, minLength: smtp.minLength }).toEqual({ defaultValue: undefined, minLength: 1 });
    expect(appSetting('DEV_MAILBOX')).toBe('false');
    expect(appSetting('ALLOW_ANONYMOUS')).toBe('false');
  });

  it('runs a built artefact with NODE_ENV=production, and sets the PUBLIC_URL production requires', () => {
    expect(appSetting('NODE_ENV')).toBe("[if(parameters('buildDuringDeployment'), '', 'production')]");
    expect(appSetting('PUBLIC_URL')).toBe("[variables('publicUrl')]");
  });

  it('has the outputs the README and the Teams packaging step use', () => {
    for (const name of ['webAppUrl', 'botName', 'messagingEndpoint', 'identityClientId']) {
      expect(template.outputs[name]?.type).toBe('string');
    }
    expect(template.outputs.identityClientId!.value).toBe(`[${IDENTITY_CLIENT_ID}]`);
    expect(template.outputs.messagingEndpoint!.value).toBe("[variables('messagingEndpoint')]");
  });
});

describe('Azure parameters files', () => {
  it('has an example and a production parameters file', () => {
    expect(parameterFiles).toEqual(expect.arrayContaining(['azuredeploy.parameters.json', 'azuredeploy.parameters.prod.json']));
  });

  describe.each(parameterFiles)('%s', (file) => {
    const parameters = readJson<ParametersFile>(path.join(azureDir, file));

    it('is a deployment parameters file', () => {
      expect(parameters.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#');
      expect(parameters.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    });

    it('gives every parameter without a default, and only declared parameters', () => {
      const required = Object.entries(template.parameters)
        .filter(([, p]) => p.defaultValue === undefined)
        .map(([name]) => name);
      expect(required.length).toBeGreaterThan(0);
      expect(required.filter((name) => !(name in parameters.parameters))).toEqual([]);
      expect(Object.keys(parameters.parameters).filter((name) => !(name in template.parameters))).toEqual([]);
    });

    it('gives values of the declared types and allowed values', () => {
      for (const [name, given] of Object.entries(parameters.parameters)) {
        const declared = template.parameters[name]!;
        if (given.reference !== undefined) {
          expect({ name, keyVault: isKeyVaultReference(given.reference) }).toEqual({ name, keyVault: true });
          continue;
        }
        const expected = { string: 'string', securestring: 'string', bool: 'boolean', int: 'number', object: 'object' }[declared.type];
        expect({ name, type: typeof given.value }).toEqual({ name, type: expected });
        if (declared.allowedValues) expect(declared.allowedValues).toContain(given.value);
      }
    });

    it('holds no secret: secure parameters are empty or Key Vault references', () => {
      for (const [name, given] of Object.entries(parameters.parameters)) {
        if (template.parameters[name]!.type !== 'securestring') continue;
        if (given.reference !== undefined) expect(isKeyVaultReference(given.reference)).toBe(true);
        else expect({ name, value: given.value }).toEqual({ name, value: '' });
      }
    });
  });

  it('the production file reads the data store and the mail server from Key Vault', () => {
    const prod = readJson<ParametersFile>(path.join(azureDir, 'azuredeploy.parameters.prod.json'));
    for (const name of ['dataUrl', 'smtpUrl', 'tokenSecret']) {
      expect({ name, keyVault: isKeyVaultReference(prod.parameters[name]?.reference) }).toEqual({ name, keyVault: true });
    }
  });
});

describe('Azure README', () => {
  const readme = readText(path.join(azureDir, 'README.md'));

  it('shows the exact deployment commands with files that exist', () => {
    expect(readme).toMatch(/az group create --name \S+ --location \S+/);
    expect(readme).toContain('az deployment group create');
    expect(readme).toContain('--template-file deploymentTemplates/azure/azuredeploy.json');
    for (const file of parameterFiles) expect(readme).toContain(`--parameters @deploymentTemplates/azure/${file}`);
    for (const match of readme.matchAll(/deploymentTemplates\/azure\/([\w.-]+\.json)/g)) {
      expect(fs.existsSync(path.join(azureDir, match[1]!))).toBe(true);
    }
    expect(readme).toMatch(/rediss:\/\/:<[^>]+>@<[^>]+>\.redis\.cache\.windows\.net:6380/);
    expect(readme).toMatch(/postgres:\/\/.*\.postgres\.database\.azure\.com/);
    expect(readme).toMatch(/MicrosoftAppId=\S+ PUBLIC_URL=https:\/\/\S+ npm run package:teams/);
  });

  it('describes every parameter', () => {
    for (const name of Object.keys(template.parameters)) expect(readme).toContain(`\`${name}\``);
  });
});

// ---------------------------------------------------------------------------------------------
// Docker cannot run here; check the Dockerfile's structure instead.

interface Instruction {
  keyword: string;
  args: string;
}

function dockerInstructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && /^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

describe('Dockerfile', () => {
  const instructions = dockerInstructions(readText(path.join(root, 'Dockerfile')));
  const froms = instructions.map((ins, i) => ({ ins, i })).filter(({ ins }) => ins.keyword === 'FROM');
  const finalStage = instructions.slice(froms[froms.length - 1]!.i);
  const buildStage = instructions.slice(froms[0]!.i, froms[froms.length - 1]!.i);
  const indexOf = (keyword: string, stage: Instruction[] = finalStage): number => stage.findIndex((ins) => ins.keyword === keyword);
  const argsOf = (keyword: string, stage: Instruction[] = finalStage): string[] =>
    stage.filter((ins) => ins.keyword === keyword).map((ins) => ins.args);

  it('is multi-stage: a Node 20 build stage with the native toolchain, then a slim runtime stage', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms[0]!.ins.args).toMatch(/^node:20-bookworm-slim AS build$/i);
    expect(froms[froms.length - 1]!.ins.args).toMatch(/^node:20-bookworm-slim\b/);
    const buildRuns = argsOf('RUN', buildStage).join('\n');
    for (const tool of ['python3', 'make', 'g++']) expect(buildRuns).toContain(tool);
    expect(buildRuns).toMatch(/npm ci\b/);
    expect(buildRuns).toMatch(/npm run build\b/);
    expect(buildRuns).toMatch(/npm prune --omit=dev\b/);
    expect(argsOf('COPY').some((a) => a.startsWith('--from=build'))).toBe(true);
    expect(argsOf('RUN').join('\n')).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a non-root user, set before CMD and never reset to root', () => {
    const users = argsOf('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).toBe('node');
    expect(users.some((u) => /^(root|0)(:|$)/.test(u))).toBe(false);
    expect(indexOf('USER')).toBeGreaterThan(-1);
    expect(indexOf('USER')).toBeLessThan(indexOf('CMD'));
  });

  it('starts the built entry point with its environment, port and data volume', () => {
    expect(JSON.parse(argsOf('CMD')[0]!)).toEqual(['node', packageJson.main]);
    expect(packageJson.main).toBe('dist/src/index.js');
    const env = argsOf('ENV').join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bPORT=3978\b/);
    expect(env).toMatch(/\bDATA_DIR=\/data\b/);
    expect(argsOf('EXPOSE')).toContain('3978');
    expect(argsOf('VOLUME')).toContain('/data');
    expect(argsOf('RUN').join('\n')).toMatch(/chown node:node \/data/);
  });

  it('has a HEALTHCHECK that GETs /healthz with node (no curl in slim images)', () => {
    const [healthcheck] = argsOf('HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).toMatch(/CMD \["node",/);
    expect(healthcheck).toContain('127.0.0.1');
    expect(healthcheck).not.toMatch(/\b(curl|wget)\b/);
  });

  it('.dockerignore keeps local state and build output out of the context', () => {
    const ignored = readText(path.join(root, '.dockerignore'))
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.data', '.git', 'build', 'coverage', '.env']) expect(ignored).toContain(entry);
  });
});
