import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bucketHost, presignGet, signPostPolicy } from './sigv4';

const example = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('SigV4 for the uploads bucket', () => {
  it("matches AWS's documented presigned GET example", () => {
    const url = presignGet({
      bucket: 'examplebucket',
      region: 'us-east-1',
      key: 'test.txt',
      expiresInSeconds: 86400,
      now: new Date('2013-05-24T00:00:00Z'),
      credentials: example,
      host: 'examplebucket.s3.amazonaws.com',
    });
    expect(url).toContain('X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
    expect(url.startsWith('https://examplebucket.s3.amazonaws.com/test.txt?')).toBe(true);
  });

  it('signs a POST policy bound to the key, the type and the size range', () => {
    const form = signPostPolicy({
      bucket: 'b',
      region: 'cn-north-1',
      key: 'towns/qingshi/incoming/u-1',
      contentType: 'image/png',
      minBytes: 1,
      maxBytes: 1000,
      expiresAt: new Date('2026-12-06T03:10:00Z'),
      now: new Date('2026-12-06T03:00:00Z'),
      credentials: { ...example, sessionToken: 'tok' },
      tags: { 'gridline-stage': 'incoming' },
    });
    expect(form.fields.tagging).toBe('<Tagging><TagSet><Tag><Key>gridline-stage</Key><Value>incoming</Value></Tag></TagSet></Tagging>');
    expect(form.url).toBe('https://b.s3.cn-north-1.amazonaws.com.cn/');
    const policy = JSON.parse(Buffer.from(form.fields.policy as string, 'base64').toString('utf8'));
    expect(policy.expiration).toBe('2026-12-06T03:10:00.000Z');
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 1000]);
    expect(policy.conditions).toContainEqual({ key: 'towns/qingshi/incoming/u-1' });
    expect(policy.conditions).toContainEqual({ 'Content-Type': 'image/png' });
    expect(policy.conditions).toContainEqual({ 'x-amz-security-token': 'tok' });
    expect(policy.conditions).toContainEqual({ tagging: form.fields.tagging });
    expect(form.fields['x-amz-credential']).toBe('AKIAIOSFODNN7EXAMPLE/20261206/cn-north-1/s3/aws4_request');
    const key = ['20261206', 'cn-north-1', 's3', 'aws4_request'].reduce<Buffer | string>(
      (k, part) => createHmac('sha256', k).update(part).digest(),
      `AWS4${example.secretAccessKey}`,
    );
    expect(form.fields['x-amz-signature']).toBe(
      createHmac('sha256', key)
        .update(form.fields.policy as string)
        .digest('hex'),
    );
  });

  it('names the endpoint by partition', () => {
    expect(bucketHost('b', 'us-east-1')).toBe('b.s3.us-east-1.amazonaws.com');
    expect(bucketHost('b', 'cn-northwest-1')).toBe('b.s3.cn-northwest-1.amazonaws.com.cn');
  });
});
