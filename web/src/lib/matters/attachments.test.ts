import { UPLOAD_LIMITS } from '@gridline/domain/uploads/limits';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_ACCEPT, attachmentProblem, attachmentType, isImageType, linkHref } from './attachments';

const MB = 1024 * 1024;
const file = (name: string, type: string, size: number) => ({ name, type, size });

describe('attachment pre-checks', () => {
  it('offers exactly the types the domain accepts for attachments', () => {
    expect(ATTACHMENT_ACCEPT.split(',').sort()).toEqual(Object.keys(UPLOAD_LIMITS.attachment).sort());
    expect(ATTACHMENT_ACCEPT).toBe('image/jpeg,image/png,image/webp,application/pdf');
  });

  it("takes the browser's type when accepted, else the extension's", () => {
    expect(attachmentType(file('IMG_0001.JPG', 'image/jpeg', 1))).toBe('image/jpeg');
    expect(attachmentType(file('scan.PDF', '', 1))).toBe('application/pdf');
    expect(attachmentType(file('photo.webp', 'application/octet-stream', 1))).toBe('image/webp');
    expect(attachmentType(file('photo.heic', 'image/heic', 1))).toBeUndefined();
    expect(attachmentType(file('notes.txt', 'text/plain', 1))).toBeUndefined();
  });

  it('accepts photos up to 10 MB and PDFs up to 20 MB, naming the file when it refuses', () => {
    expect(attachmentProblem(file('a.png', 'image/png', 10 * MB))).toBeUndefined();
    expect(attachmentProblem(file('a.pdf', 'application/pdf', 20 * MB))).toBeUndefined();
    expect(attachmentProblem(file('a.jpg', 'image/jpeg', 10 * MB + 1))).toEqual({
      key: 'matters.files.tooBig',
      params: { name: 'a.jpg', size: '10.5 MB', limit: '10 MB' },
    });
    expect(attachmentProblem(file('b.pdf', 'application/pdf', 20 * MB + 1))?.params?.limit).toBe('20 MB');
    expect(attachmentProblem(file('c.heic', 'image/heic', 1000))).toEqual({ key: 'matters.files.wrongType', params: { name: 'c.heic' } });
    expect(attachmentProblem(file('d.png', 'image/png', 0))).toEqual({ key: 'matters.files.empty', params: { name: 'd.png' } });
  });

  it('tells images from documents', () => {
    expect(isImageType('image/webp')).toBe(true);
    expect(isImageType('application/pdf')).toBe(false);
  });
});

describe('linkHref', () => {
  it('resolves a local /blobs path against the API base and keeps a presigned URL as it is', () => {
    expect(linkHref('/blobs/tok', '/api', 'http://127.0.0.1:5173/town/matters/m1')).toBe('http://127.0.0.1:5173/blobs/tok');
    expect(linkHref('/blobs/tok', 'https://api.example.cn/v1', 'https://app.example.cn/x')).toBe('https://api.example.cn/blobs/tok');
    const signed = 'https://bucket.s3.cn-north-1.amazonaws.com.cn/k?X-Amz-Signature=abc';
    expect(linkHref(signed, '/api', 'https://app.example.cn/x')).toBe(signed);
  });
});
