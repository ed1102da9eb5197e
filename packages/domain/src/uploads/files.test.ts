import { describe, expect, it } from 'vitest';
import { bytesMatchType, crc32, isMalformedImage, stripLocation } from './files';
import { containsBytes, GPS_MARK, jpegWithGps, pngWithLocation, webpWithGps } from './testing';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('the type a file really is', () => {
  it('accepts each type by its first bytes', () => {
    expect(bytesMatchType(jpegWithGps(), 'image/jpeg')).toBe(true);
    expect(bytesMatchType(pngWithLocation(), 'image/png')).toBe(true);
    expect(bytesMatchType(webpWithGps(), 'image/webp')).toBe(true);
    expect(bytesMatchType(ascii('%PDF-1.7\n…'), 'application/pdf')).toBe(true);
    expect(bytesMatchType(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0), XLSX)).toBe(true);
    expect(bytesMatchType(ascii('户编号,姓名\n1,张三\n'), 'text/csv')).toBe(true);
  });

  it('refuses bytes that are another type than declared', () => {
    expect(bytesMatchType(pngWithLocation(), 'image/jpeg')).toBe(false);
    expect(bytesMatchType(ascii('<html><script>'), 'image/png')).toBe(false);
    expect(bytesMatchType(ascii('%PDF-1.7'), XLSX)).toBe(false);
    expect(bytesMatchType(jpegWithGps(), 'text/csv')).toBe(false);
    expect(bytesMatchType(Uint8Array.of(0x61, 0, 0x62), 'text/csv')).toBe(false);
    expect(bytesMatchType(new Uint8Array(0), 'text/csv')).toBe(false);
    expect(bytesMatchType(ascii('%PDF-1.7'), 'application/x-msdownload')).toBe(false);
  });
});

describe('stripping location metadata', () => {
  it('takes the EXIF block with its GPS IFD out of a JPEG and keeps the rest byte for byte', () => {
    const jpeg = jpegWithGps();
    expect(containsBytes(jpeg, GPS_MARK)).toBe(true);
    const out = stripLocation(jpeg, 'image/jpeg');
    expect(out.removed).toBe(true);
    expect(containsBytes(out.bytes, GPS_MARK)).toBe(false);
    expect(containsBytes(out.bytes, ascii('Exif'))).toBe(false);
    expect(containsBytes(out.bytes, ascii('JFIF'))).toBe(true);
    expect([...out.bytes.subarray(-7)]).toEqual([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9]);
    expect(bytesMatchType(out.bytes, 'image/jpeg')).toBe(true);
    // A clean file passes unchanged.
    expect(stripLocation(out.bytes, 'image/jpeg')).toEqual({ bytes: out.bytes, removed: false });
  });

  it('drops an IPTC block (APP13) of a JPEG too', () => {
    const jpeg = jpegWithGps();
    const iptc = Uint8Array.of(0xff, 0xed, 0, 2 + GPS_MARK.length, ...GPS_MARK);
    const withIptc = new Uint8Array([...jpeg.subarray(0, 2), ...iptc, ...jpeg.subarray(2)]);
    const out = stripLocation(withIptc, 'image/jpeg');
    expect(containsBytes(out.bytes, GPS_MARK)).toBe(false);
    expect(out.removed).toBe(true);
  });

  it('drops the eXIf and text chunks of a PNG, leaving valid chunks', () => {
    const out = stripLocation(pngWithLocation(), 'image/png');
    expect(out.removed).toBe(true);
    expect(containsBytes(out.bytes, GPS_MARK)).toBe(false);
    expect(containsBytes(out.bytes, ascii('eXIf'))).toBe(false);
    expect(containsBytes(out.bytes, ascii('IDAT'))).toBe(true);
    expect(containsBytes(out.bytes, ascii('IEND'))).toBe(true);
  });

  it('drops the EXIF chunk of a WebP, clears its flag and fixes the RIFF size', () => {
    const out = stripLocation(webpWithGps(), 'image/webp');
    expect(out.removed).toBe(true);
    expect(containsBytes(out.bytes, GPS_MARK)).toBe(false);
    const view = new DataView(out.bytes.buffer, out.bytes.byteOffset);
    expect(view.getUint32(4, true)).toBe(out.bytes.length - 8);
    expect((out.bytes[20] as number) & 0x08).toBe(0);
    expect(bytesMatchType(out.bytes, 'image/webp')).toBe(true);
  });

  it('refuses a damaged image rather than keep its metadata', () => {
    const cut = jpegWithGps().subarray(0, 30);
    expect(() => stripLocation(cut, 'image/jpeg')).toThrow();
    try {
      stripLocation(cut, 'image/jpeg');
    } catch (e) {
      expect(isMalformedImage(e)).toBe(true);
    }
  });

  it('leaves other types alone', () => {
    const pdf = ascii('%PDF-1.7');
    expect(stripLocation(pdf, 'application/pdf')).toEqual({ bytes: pdf, removed: false });
  });

  it('computes the PNG CRC-32', () => {
    expect(crc32(ascii('IEND')).toString(16)).toBe('ae426082');
  });
});
