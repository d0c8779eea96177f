import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Attachment } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../../config';
import { languageFromLocale, localeOf } from '../../domain/language';
import type { Translator } from '../../services/i18n/translator';
import { limitTextFor } from '../../services/limits/waitText';
import { ATTACHMENT_PATH, clientActivitySchema, type ClientActivity } from './activities';
import type { DirectLineChannel } from './directLineChannel';
import { authorize } from './directLineAuth';
import { DIRECT_LINE_PREFIX } from './directLineRoutes';
import { ID_PATTERN, type DirectLineTokens } from './directLineTokens';
import { param, sendError } from './httpHelpers';
import type { WebChatLimits } from './rateLimit';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** The upload route as registered (multipart/form-data is accepted there). */
export const UPLOAD_ROUTE = `${DIRECT_LINE_PREFIX}/conversations/:conversationId/upload`;
const UPLOAD_PATH = /^\/v3\/directline\/conversations\/[^/]+\/upload\/?$/;
const STORED_NAME = /^[0-9a-f]{32}-[A-Za-z0-9._-]{1,120}$/;

/** Served inline (shown in the transcript); anything else is a download, never rendered by the browser. */
const INLINE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
};
const EXTENSION_OF: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/heic': '.heic',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

export function uploadsDir(config: Pick<Config, 'DATA_DIR'>, conversationId: string): string {
  return path.join(config.DATA_DIR, 'uploads', conversationId);
}

/** A file name safe on disk and in a URL, ending in the extension of its type when it has none of its own. */
export function safeFileName(name: string, contentType: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(-80) || 'file';
  const extension = EXTENSION_OF[contentType];
  return extension && !base.toLowerCase().endsWith(extension) && !(extension === '.jpg' && /\.jpe?g$/i.test(base)) ? base + extension : base;
}

function contentTypeOf(type: string): string {
  const plain = type.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(plain) ? plain : 'application/octet-stream';
}

/**
 * restify's multipart parser keeps one file per field name (Web Chat sends every file as
 * "file") and leaves temp files behind; for the upload route this marks the body as parsed
 * so it is left to the route, which reads it after the token check.
 */
export function leaveUploadBodiesToTheRoute(server: Server): void {
  server.pre(async (req: Request) => {
    if (req.method === 'POST' && UPLOAD_PATH.test(new URL(req.url ?? '/', 'http://local').pathname)) {
      Object.assign(req, { _parsedBody: true });
    }
  });
}

/** Reads the whole body, refusing more than `limit` bytes. */
async function readBody(req: Request, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

type UploadForm = { activity?: ClientActivity; files: File[] } | { error: string };

async function parseForm(body: Buffer, contentType: string): Promise<UploadForm> {
  let form: FormData;
  try {
    form = await new Request('http://local/upload', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
  } catch {
    return { error: 'The body is not valid multipart/form-data.' };
  }
  let activity: ClientActivity | undefined;
  const files: File[] = [];
  const entries: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, name) => entries.push([name, value]));
  for (const [name, value] of entries) {
    if (name === 'activity') {
      let json: unknown;
      try {
        json = JSON.parse(typeof value === 'string' ? value : await value.text());
      } catch {
        return { error: 'The activity part is not JSON.' };
      }
      const parsed = clientActivitySchema.safeParse(json);
      if (!parsed.success || parsed.data.type !== 'message') return { error: 'The activity part is not a valid message.' };
      activity = parsed.data;
    } else if (typeof value !== 'string') {
      files.push(value);
    }
  }
  return files.length === 0 ? { error: 'No file was uploaded.' } : { activity, files };
}

async function saveFiles(config: Config, conversationId: string, files: File[]): Promise<Attachment[]> {
  const dir = uploadsDir(config, conversationId);
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const attachments: Attachment[] = [];
  for (const file of files) {
    const contentType = contentTypeOf(file.type);
    const name = safeFileName(file.name || 'file', contentType);
    const stored = `${randomBytes(16).toString('hex')}-${name}`;
    await fs.promises.writeFile(path.join(dir, stored), Buffer.from(await file.arrayBuffer()), { flag: 'wx', mode: 0o600 });
    const contentUrl = `${ATTACHMENT_PATH}${conversationId}/${stored}`;
    // Web Chat shows a user's upload as a picture only when it has a thumbnail; the image is its own.
    const thumbnail = INLINE_TYPES[path.extname(stored).toLowerCase()] ? { thumbnailUrl: contentUrl } : {};
    attachments.push({ contentType, contentUrl, name: (file.name || name).slice(0, 200), ...thumbnail });
  }
  return attachments;
}

/**
 * POST /v3/directline/conversations/:id/upload — files (and an optional "activity" part) as
 * multipart/form-data, each file counted against `uploads`, kept under
 * <DATA_DIR>/uploads/<conversation>/ and sent to the bot as a message with attachments (which the
 * bot does not count again). GET /v3/directline/attachments/:conversation/:file serves them back
 * (the names are unguessable, so an <img> can show them without a token).
 */
export function registerUploadRoutes(
  server: Server,
  deps: { channel: DirectLineChannel; tokens: DirectLineTokens; config: Config; limits: WebChatLimits; translator: Translator },
): void {
  const { channel, tokens, config } = deps;

  /** "You've sent many files …, try again in …" as a bot message in the chat, in its language. */
  const tellUploadsLimited = (conversationId: string) => async (retryAfterSeconds: number) => {
    const language = languageFromLocale((await channel.get(conversationId))?.locale);
    await channel.fromBot(conversationId, { type: 'message', text: limitTextFor(deps.translator, language, 'limits:uploads', retryAfterSeconds), locale: language && localeOf(language) });
  };

  server.post(UPLOAD_ROUTE, async (req: Request, res: Response) => {
    const claims = authorize(tokens, req, res, param(req, 'conversationId'));
    if (!claims) return;
    // one count before the body is read (a flood is refused cheaply), one for each further file once it is
    if (!(await deps.limits.upload(req, res, claims.user, tellUploadsLimited(claims.conv)))) return;
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) return sendError(res, 415, 'BadArgument', 'Expected multipart/form-data.');
    if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) {
      return sendError(res, 413, 'MessageSizeTooBig', `An upload may be at most ${MAX_UPLOAD_BYTES} bytes.`);
    }
    if (!(await channel.get(claims.conv))) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    const body = await readBody(req, MAX_UPLOAD_BYTES);
    if (!body) return sendError(res, 413, 'MessageSizeTooBig', `An upload may be at most ${MAX_UPLOAD_BYTES} bytes.`);
    const form = await parseForm(body, contentType);
    if ('error' in form) return sendError(res, 400, 'BadArgument', form.error);
    if (!(await deps.limits.upload(req, res, claims.user, tellUploadsLimited(claims.conv), form.files.length - 1))) return;
    const attachments = await saveFiles(config, claims.conv, form.files);
    const id = await channel.fromUser(claims, form.activity ?? { type: 'message' }, { attachments, clientAddress: deps.limits.clientAddress(req) });
    if (!id) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    res.json(200, { id }, { 'Cache-Control': 'no-store' });
  });

  server.get(`${DIRECT_LINE_PREFIX}/attachments/:conversationId/:file`, async (req: Request, res: Response) => {
    const conversationId = param(req, 'conversationId');
    const file = param(req, 'file');
    if (!ID_PATTERN.test(conversationId) || !STORED_NAME.test(file)) return sendError(res, 404, 'NotFound', 'No such attachment.');
    let content: Buffer;
    try {
      content = await fs.promises.readFile(path.join(uploadsDir(config, conversationId), file));
    } catch {
      return sendError(res, 404, 'NotFound', 'No such attachment.');
    }
    const inline = INLINE_TYPES[path.extname(file).toLowerCase()];
    res.writeHead(200, {
      'Content-Type': inline ?? 'application/octet-stream',
      'Content-Length': String(content.length),
      'Content-Disposition': inline ? 'inline' : `attachment; filename="${file.slice(33)}"`,
      'Cache-Control': 'private, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    res.end(content);
  });
}
