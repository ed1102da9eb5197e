/*
 * What a stored file really is, and the same image without its location. Pure byte work on whole files:
 * the type a file's first bytes show (never trusting its name or declared type), and the metadata blocks
 * of JPEG, PNG and WebP that can carry where a photo was taken, taken out without touching the pixels.
 */

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const startsWith = (bytes: Uint8Array, prefix: Uint8Array, at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const ZIP_LOCAL_HEADER = Uint8Array.of(0x50, 0x4b, 0x03, 0x04);

/** Whether bytes look like text (a CSV): no NUL byte and no other file signature in the first 8 KB. */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.length === 0) return false;
  if (head.includes(0)) return false;
  return sniffBinary(bytes) === undefined;
}

function sniffBinary(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, Uint8Array.of(0xff, 0xd8, 0xff))) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(bytes, ZIP_LOCAL_HEADER)) return 'application/zip';
  return undefined;
}

/**
 * Whether a file's bytes match the type it was declared as. XLSX is a ZIP container, so any ZIP passes
 * here and the book reader refuses a ZIP that is not a workbook; a CSV is any text with no binary signature.
 */
export function bytesMatchType(bytes: Uint8Array, contentType: string): boolean {
  if (contentType === 'text/csv') return looksLikeText(bytes);
  const seen = sniffBinary(bytes);
  if (contentType === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return seen === 'application/zip';
  return seen !== undefined && seen === contentType;
}

export type Stripped = { bytes: Uint8Array; removed: boolean };

/** The image without the metadata blocks that can hold a location; other types come back as they are. */
export function stripLocation(bytes: Uint8Array, contentType: string): Stripped {
  if (contentType === 'image/jpeg') return stripJpeg(bytes);
  if (contentType === 'image/png') return stripPng(bytes);
  if (contentType === 'image/webp') return stripWebp(bytes);
  return { bytes, removed: false };
}

class MalformedImageError extends Error {}

/**
 * JPEG: every APP1 segment (EXIF with its GPS IFD, XMP) and APP13 (IPTC) goes; the other segments and the entropy-coded
 * data after the start of scan are copied as they are. Orientation lives in EXIF and goes with it.
 */
function stripJpeg(bytes: Uint8Array): Stripped {
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let removed = false;
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw new MalformedImageError('JPEG segment does not start with a marker');
    let marker = bytes[at + 1] as number;
    // Fill bytes: a marker may be preceded by any number of 0xFF.
    while (marker === 0xff && at + 2 < bytes.length) {
      at += 1;
      marker = bytes[at + 1] as number;
    }
    if (marker === 0xd9 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(bytes.subarray(at, at + 2));
      at += 2;
      if (marker === 0xd9) break;
      continue;
    }
    if (at + 4 > bytes.length) throw new MalformedImageError('JPEG segment cut short');
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) throw new MalformedImageError('JPEG segment length out of range');
    if (marker === 0xda) {
      // Start of scan: the rest is image data (and any later segments cannot hold EXIF by the standard).
      kept.push(bytes.subarray(at));
      at = bytes.length;
      break;
    }
    // APP1 holds EXIF (with its GPS IFD) or XMP, APP13 Photoshop's IPTC block (city, sublocation):
    // each can name a place, so every such segment goes.
    if (marker === 0xe1 || marker === 0xed) removed = true;
    else kept.push(bytes.subarray(at, end));
    at = end;
  }
  return { bytes: concat(kept), removed };
}

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 PNG chunks carry (over the type and the data). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** PNG chunks that can carry a location: EXIF and every text chunk (XMP travels in iTXt). */
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt']);

function stripPng(bytes: Uint8Array): Stripped {
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let removed = false;
  let at = 8;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new MalformedImageError('PNG chunk cut short');
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > bytes.length) throw new MalformedImageError('PNG chunk length out of range');
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (PNG_DROPPED.has(type)) removed = true;
    else kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return { bytes: concat(kept), removed };
}

/** WebP: the EXIF and XMP chunks go, and the extended header stops announcing them. */
function stripWebp(bytes: Uint8Array): Stripped {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Uint8Array[] = [];
  let removed = false;
  let at = 12;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) throw new MalformedImageError('WebP chunk cut short');
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > bytes.length) throw new MalformedImageError('WebP chunk size out of range');
    const type = String.fromCharCode(...bytes.subarray(at, at + 4));
    if (type === 'EXIF' || type === 'XMP ') removed = true;
    else if (type === 'VP8X') {
      const copy = bytes.slice(at, Math.min(end, bytes.length));
      // Flags byte: bit 3 announces EXIF, bit 2 XMP.
      copy[8] = (copy[8] as number) & ~0x0c;
      chunks.push(copy);
    } else chunks.push(bytes.subarray(at, Math.min(end, bytes.length)));
    at = end;
  }
  const body = concat(chunks);
  const out = new Uint8Array(12 + body.length);
  out.set(bytes.subarray(0, 12));
  out.set(body, 12);
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  return { bytes: out, removed };
}

/** Whether an image could not be taken apart: it is refused rather than stored with its metadata. */
export const isMalformedImage = (e: unknown) => e instanceof MalformedImageError;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
