import fs from 'node:fs';
import type { Request, Response } from 'restify';
import type { PhotoUpload } from './identify';

/** A photo larger than this is refused unread (phone photos are 2–8 MB). */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

/** 303 See Other: the browser follows with a GET (the form is not sent again on reload). */
export function redirect(res: Response, location: string): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Length': '0' });
  res.end();
}

interface UploadedFile {
  path: string;
  size: number;
  type: string;
}

/** The files restify's multipart parser (formidable) wrote to disk for this request. */
function uploadedFiles(req: Request): Map<string, UploadedFile> {
  const files = new Map<string, UploadedFile>();
  const source: unknown = req.files;
  if (typeof source !== 'object' || source === null) return files;
  for (const [name, file] of Object.entries(source)) {
    if (typeof file !== 'object' || file === null) continue;
    // formidable 1 names the temporary file `path`, later versions `filepath`
    const path: unknown = Reflect.get(file, 'path') ?? Reflect.get(file, 'filepath');
    const size: unknown = Reflect.get(file, 'size');
    const type: unknown = Reflect.get(file, 'type') ?? Reflect.get(file, 'mimetype');
    if (typeof path !== 'string') continue;
    files.set(name, { path, size: typeof size === 'number' ? size : 0, type: typeof type === 'string' ? type : '' });
  }
  return files;
}

/**
 * The photo of the scan form, if one was chosen (a form sent without a photo has an empty file
 * part); the upload's temporary files are gone when this returns.
 */
export async function takePhoto(req: Request): Promise<PhotoUpload | undefined> {
  try {
    const photo = uploadedFiles(req).get('photo');
    if (!photo || photo.size === 0) return undefined;
    if (photo.size > MAX_PHOTO_BYTES) return { tooLarge: true };
    return { bytes: await fs.promises.readFile(photo.path), type: photo.type };
  } finally {
    await discardUploads(req);
  }
}

/** Removes what the multipart parser left on disk for this request (it never cleans up after itself). */
export async function discardUploads(req: Request): Promise<void> {
  await Promise.all([...uploadedFiles(req).values()].map((file) => fs.promises.rm(file.path, { force: true })));
}
