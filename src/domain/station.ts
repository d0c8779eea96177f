/**
 * Station identification and position, for localizing a station on site.
 * ChargePoint writes a station's MAC address as four groups of four hex digits
 * (0024:B100:0002:9F81, EUI-64); installers type it, or a 48-bit MAC, in any common notation.
 */
/** `prose`: words and no digit ("laderen har ingen strøm"), a message rather than a try at an address. */
export type MacProblem = 'empty' | 'prose' | 'not_hex' | 'wrong_length' | 'all_zero' | 'multicast';
export type MacParse = { ok: true; mac: string } | { ok: false; problem: MacProblem };

const SEPARATORS = /[\s:.\-]/g;

/** 12 or 16 hex digits in any notation → upper-case groups of four ("0024:B100:0002:9F81"). */
export function parseMacAddress(input: string | undefined): MacParse {
  const raw = (input ?? '').trim().replace(/^(mac|mac-adresse|mac address)\s*[:=]?\s*/i, '');
  if (raw === '') return { ok: false, problem: 'empty' };
  const digits = raw.replace(SEPARATORS, '');
  if (!/^[0-9a-fA-F]+$/.test(digits)) return { ok: false, problem: !/\d/.test(raw) && /\S\s+\S/.test(raw) ? 'prose' : 'not_hex' };
  if (digits.length !== 12 && digits.length !== 16) return { ok: false, problem: 'wrong_length' };
  // three groups of four without dots is a ChargePoint address with its last group missing
  // (only the dotted 0024.b102.9f81 notation writes a 48-bit MAC that way)
  const groups = raw.split(/[\s:.\-]+/).filter(Boolean);
  if (groups.length === 3 && groups.every((g) => g.length === 4) && !raw.includes('.')) return { ok: false, problem: 'wrong_length' };
  if (/^0+$/.test(digits)) return { ok: false, problem: 'all_zero' };
  // the lowest bit of the first octet marks a group (multicast/broadcast) address, never a device
  if (parseInt(digits.slice(0, 2), 16) & 1) return { ok: false, problem: 'multicast' };
  return { ok: true, mac: digits.toUpperCase().match(/.{4}/g)!.join(':') };
}

const MAC_CANDIDATES = /[0-9A-Fa-f]{2,4}(?:[:.\-][0-9A-Fa-f]{2,4}){2,7}|\b[0-9A-Fa-f]{16}\b|\b[0-9A-Fa-f]{12}\b/g;

/** The station's MAC address in a scanned QR payload (a URL or text carrying it), or undefined. */
export function macFromQrPayload(payload: string | undefined): string | undefined {
  if (!payload) return undefined;
  const direct = parseMacAddress(payload);
  if (direct.ok) return direct.mac;
  let text = payload;
  try {
    text = decodeURIComponent(payload);
  } catch {
    // keep the payload as it is
  }
  for (const candidate of text.match(MAC_CANDIDATES) ?? []) {
    const parsed = parseMacAddress(candidate);
    if (parsed.ok) return parsed.mac;
  }
  return undefined;
}

export interface Position {
  latitude: number;
  longitude: number;
  /** Radius of uncertainty reported by the device, in metres. */
  accuracyMeters?: number;
}

export type PositionProblem = 'unreadable' | 'out_of_range' | 'null_island' | 'rough';
export type PositionParse = { ok: true; position: Position } | { ok: false; problem: PositionProblem };

const NUMBER = String.raw`[-+]?\d{1,3}(?:[.,]\d+)?`;
/**
 * Between the two numbers: "; " or ";" , ", " (a comma alone is a decimal comma, unless a number
 * with a decimal point follows: "59.91,10.75"), or spaces. Each alternative reads the spaces once:
 * adjacent `\s*`/`\s+` would split a run of spaces every possible way ("1" + 6000 spaces + "x"
 * took 47 s).
 */
const SEPARATOR = String.raw`(?:\s*(?:;\s*|,\s+|,(?=[-+]?\d{1,3}\.))|\s+)`;
const PAIR = new RegExp(String.raw`(${NUMBER})${SEPARATOR}(${NUMBER})`);

/** Validates a latitude/longitude pair (also what a page's geolocation sends). */
export function checkPosition(latitude: number, longitude: number, accuracyMeters?: number): PositionParse {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return { ok: false, problem: 'unreadable' };
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return { ok: false, problem: 'out_of_range' };
  if (latitude === 0 && longitude === 0) return { ok: false, problem: 'null_island' };
  const position: Position = { latitude: round(latitude), longitude: round(longitude) };
  if (accuracyMeters !== undefined && Number.isFinite(accuracyMeters) && accuracyMeters >= 0) position.accuracyMeters = Math.round(accuracyMeters);
  return { ok: true, position };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Coordinates as people type or paste them: "59.9139, 10.7522", "59,9139 10,7522" (Norwegian
 * decimal comma), "59.9139;10.7522", or a map link containing "@59.9139,10.7522".
 */
export function parsePosition(input: string | undefined): PositionParse {
  const text = (input ?? '').trim();
  const fromLink = /@(-?\d{1,3}\.\d+),(-?\d{1,3}\.\d+)/.exec(text) ?? /[?&](?:q|ll|query)=(-?\d{1,3}\.\d+),(-?\d{1,3}\.\d+)/.exec(text);
  const match = fromLink ?? PAIR.exec(text);
  if (!match) return { ok: false, problem: 'unreadable' };
  const toNumber = (s: string) => Number(s.replace(',', '.'));
  const checked = checkPosition(toNumber(match[1]!), toNumber(match[2]!));
  // "59.91 10.75" points somewhere within a kilometre: no use for finding a station
  if (checked.ok && (decimals(match[1]!) < MIN_TYPED_DECIMALS || decimals(match[2]!) < MIN_TYPED_DECIMALS)) return { ok: false, problem: 'rough' };
  return checked;
}

/** Typed coordinates need this many decimals (four: about 10 m; three is over 100 m). */
export const MIN_TYPED_DECIMALS = 4;

const decimals = (typed: string): number => {
  const cut = typed.search(/[.,]/);
  return cut < 0 ? 0 : typed.length - cut - 1;
};

/** A localized station on the installer's record. */
export interface StationLocalization {
  mac: string;
  latitude: number;
  longitude: number;
  accuracyMeters?: number;
  localizedAt: string;
}
