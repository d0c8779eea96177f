import { checkPosition, macFromQrPayload, parseMacAddress, type MacProblem, type Position, type PositionProblem } from '../../domain/station';
import type { QrImageProblem } from '../../services/stations/qrDecoder';
import type { QrDecoder } from '../../services/stations/qrImageReader';

export type ScanProblemCode = MacProblem | 'no_qr_found' | 'no_mac_in_qr' | 'photo_too_large' | 'photo_unsupported' | 'photo_unreadable' | 'photo_failed';
export interface ScanProblem {
  field: 'photo' | 'code';
  code: ScanProblemCode;
}

/** A photo sent with the scan form; `tooLarge` when it was refused unread. */
export type PhotoUpload = { bytes: Buffer; type: string } | { tooLarge: true };

export type Identified = { ok: true; mac: string; via: 'photo' | 'code' } | { ok: false; problems: ScanProblem[] };

/** Text that is a scanned QR payload (a link or key=value data) rather than a typed address. */
const PAYLOAD_LIKE = /:\/\/|[?&=]/;

/** The station from a typed MAC address or QR text (no photo). */
export function identifyTypedCode(code: string): { mac: string } | { problem: ScanProblem } {
  const parsed = parseMacAddress(code);
  if (parsed.ok) return { mac: parsed.mac };
  const inPayload = macFromQrPayload(code.trim());
  if (inPayload) return { mac: inPayload };
  return { problem: { field: 'code', code: PAYLOAD_LIKE.test(code) ? 'no_mac_in_qr' : parsed.problem } };
}

/** What the scan page says for each reason the decoder gives. */
const PHOTO_PROBLEM: Record<QrImageProblem, ScanProblemCode> = {
  no_qr_found: 'no_qr_found',
  not_an_image: 'photo_unsupported',
  too_many_pixels: 'photo_too_large',
  unreadable: 'photo_unreadable',
  decode_failed: 'photo_failed',
};

async function fromPhoto(photo: PhotoUpload, decode: QrDecoder): Promise<{ mac: string } | { problem: ScanProblem }> {
  if ('tooLarge' in photo) return { problem: { field: 'photo', code: 'photo_too_large' } };
  const decoded = await decode(photo.bytes, photo.type);
  if (!decoded.ok) return { problem: { field: 'photo', code: PHOTO_PROBLEM[decoded.problem] } };
  const mac = macFromQrPayload(decoded.text);
  return mac ? { mac } : { problem: { field: 'photo', code: 'no_mac_in_qr' } };
}

/**
 * The station the scan form names: the QR code in the photo when there is one, else the typed
 * code (a MAC address in any notation, or a scanned QR payload carrying one).
 */
export async function identifyStation(input: { photo?: PhotoUpload; code: string }, decode: QrDecoder): Promise<Identified> {
  const problems: ScanProblem[] = [];
  if (input.photo) {
    const photo = await fromPhoto(input.photo, decode);
    if ('mac' in photo) return { ok: true, mac: photo.mac, via: 'photo' };
    problems.push(photo.problem);
    // a photo that did not work, and nothing typed: the photo's problem is the whole story
    if (input.code.trim() === '') return { ok: false, problems };
  }
  const typed = identifyTypedCode(input.code);
  if ('mac' in typed) return { ok: true, mac: typed.mac, via: 'code' };
  return { ok: false, problems: [...problems, typed.problem] };
}

export type PositionField = 'latitude' | 'longitude';
export interface PositionFieldProblem {
  field: PositionField;
  code: PositionProblem;
}

/** A coordinate as typed: decimal comma or point, a typographic minus; empty is unreadable (not 0). */
function coordinate(typed: string): number {
  const text = typed.trim().replace(/\u2212/g, '-').replace(',', '.');
  return text === '' ? Number.NaN : Number(text);
}

/**
 * The position the location form sends, checked by the domain; each problem is placed on the
 * field it belongs to (each coordinate is checked alone with a harmless partner).
 */
export function readPosition(
  latitude: string,
  longitude: string,
  accuracy: string,
): { ok: true; position: Position } | { ok: false; problems: PositionFieldProblem[] } {
  const lat = coordinate(latitude);
  const lng = coordinate(longitude);
  const meters = accuracy.trim() === '' ? undefined : Number(accuracy);
  const checked = checkPosition(lat, lng, meters);
  if (checked.ok) return checked;
  if (checked.problem === 'null_island') return { ok: false, problems: [{ field: 'latitude', code: 'null_island' }] };
  const problems: PositionFieldProblem[] = [];
  const alone = { latitude: checkPosition(lat, 1), longitude: checkPosition(1, lng) };
  for (const field of ['latitude', 'longitude'] as const) {
    const result = alone[field];
    if (!result.ok) problems.push({ field, code: result.problem });
  }
  return { ok: false, problems };
}
