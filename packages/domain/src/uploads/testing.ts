/*
 * Small images built in code for the tests of location stripping (unit and API): a JPEG whose EXIF block
 * holds a GPS IFD, a PNG with an eXIf and a tEXt chunk, a WebP with an EXIF chunk. Only the containers
 * are real; the pixel data is a stand-in, which is all the stripping looks at.
 */
import { crc32 } from './files';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A recognisable latitude reference ("N") and the degrees 31/1, 14/1, 2/1 in the GPS IFD. */
export const GPS_MARK = ascii('GPSDEMO-31.2342N');

/** A TIFF block (big-endian) with IFD0 pointing at a GPS IFD holding a latitude and the mark. */
function exifWithGps(): Uint8Array {
  const b = new Uint8Array(120);
  const v = new DataView(b.buffer);
  b.set(ascii('MM'), 0);
  v.setUint16(2, 42);
  v.setUint32(4, 8);
  // IFD0 at 8: one entry, GPSInfo (0x8825) LONG pointing at 26.
  v.setUint16(8, 1);
  v.setUint16(10, 0x8825);
  v.setUint16(12, 4);
  v.setUint32(14, 1);
  v.setUint32(18, 26);
  v.setUint32(22, 0);
  // GPS IFD at 26: GPSLatitudeRef 'N', and a user-comment-like ASCII entry with the mark at 60.
  v.setUint16(26, 2);
  v.setUint16(28, 0x0001);
  v.setUint16(30, 2);
  v.setUint32(32, 2);
  b.set(ascii('N\0'), 36);
  v.setUint16(40, 0x001b);
  v.setUint16(42, 7);
  v.setUint32(44, GPS_MARK.length);
  v.setUint32(48, 60);
  v.setUint32(52, 0);
  b.set(GPS_MARK, 60);
  return b;
}

const segment = (marker: number, payload: Uint8Array) => {
  const head = Uint8Array.of(0xff, marker, 0, 0);
  new DataView(head.buffer).setUint16(2, payload.length + 2);
  return join(head, payload);
};

/** A minimal JPEG: SOI, APP0 (JFIF), APP1 (EXIF with a GPS IFD), a quantisation table, SOS, data, EOI. */
export function jpegWithGps(): Uint8Array {
  return join(
    Uint8Array.of(0xff, 0xd8),
    segment(0xe0, join(ascii('JFIF\0'), Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0, 0))),
    segment(0xe1, join(ascii('Exif\0\0'), exifWithGps())),
    segment(0xdb, new Uint8Array(65)),
    segment(0xda, Uint8Array.of(1, 1, 0, 0, 63, 0)),
    Uint8Array.of(0x12, 0x34, 0xff, 0x00, 0x56),
    Uint8Array.of(0xff, 0xd9),
  );
}

const pngChunk = (type: string, data: Uint8Array) => {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(ascii(type), 4);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc32(join(ascii(type), data)));
  return join(head, data, tail);
};

/** A minimal PNG with an eXIf chunk (GPS) and a tEXt chunk naming a place. */
export function pngWithLocation(): Uint8Array {
  return join(
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    pngChunk('IHDR', Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0)),
    pngChunk('eXIf', exifWithGps()),
    pngChunk('tEXt', join(ascii('Location\0'), GPS_MARK)),
    pngChunk('IDAT', Uint8Array.of(0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1)),
    pngChunk('IEND', new Uint8Array(0)),
  );
}

const riffChunk = (type: string, data: Uint8Array) => {
  const head = new Uint8Array(8);
  head.set(ascii(type));
  new DataView(head.buffer).setUint32(4, data.length, true);
  return join(head, data, data.length % 2 ? Uint8Array.of(0) : new Uint8Array(0));
};

/** A minimal extended WebP (VP8X announcing EXIF) with an EXIF chunk. */
export function webpWithGps(): Uint8Array {
  const vp8x = new Uint8Array(10);
  vp8x[0] = 0x08;
  const body = join(
    ascii('WEBP'),
    riffChunk('VP8X', vp8x),
    riffChunk('VP8L', Uint8Array.of(0x2f, 0, 0, 0, 0)),
    riffChunk('EXIF', exifWithGps()),
  );
  const head = new Uint8Array(8);
  head.set(ascii('RIFF'));
  new DataView(head.buffer).setUint32(4, body.length, true);
  return join(head, body);
}

/** Whether `needle` occurs in `bytes`. */
export function containsBytes(bytes: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
