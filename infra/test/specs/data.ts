import { TABLE } from '@gridline/data/table';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_KEY_PATTERNS } from '../../src/access';
import { logicalIdOf, type Resource, resourcesOf, type Synthesized, type Json } from '../support';

/** Assertions on the synthesised app; `get` returns the app synthesised once by the test file. */
export function dataSpecs(get: () => Synthesized) {
  let s: Synthesized;
  let table: Resource;
  beforeAll(() => {
    s = get();
    const tables = Object.values(resourcesOf(s.t.data, 'AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(1);
    table = tables[0] as Resource;
  });

  const props = () => table.Properties as Json;

  describe('the table', () => {
    it('has the keys and global indexes of the one table definition (packages/data/src/table.ts)', () => {
      expect(props().KeySchema).toEqual([
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ]);
      const indexes = (props().GlobalSecondaryIndexes as Json[]).map((g) => ({
        indexName: g.IndexName,
        partitionKey: g.KeySchema[0].AttributeName,
        sortKey: g.KeySchema[1].AttributeName,
        projection: g.Projection.ProjectionType,
      }));
      expect(indexes).toEqual(TABLE.globalIndexes.map((g) => ({ ...g, projection: 'ALL' })));
      for (const a of props().AttributeDefinitions as Json[]) expect(a.AttributeType).toBe('S');
    });

    it('has no local secondary index', () => {
      expect(props().LocalSecondaryIndexes).toBeUndefined();
    });

    it('is billed on demand', () => {
      expect(props().BillingMode).toBe('PAY_PER_REQUEST');
    });

    it('has point-in-time recovery', () => {
      expect(props().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    });

    it('lets DynamoDB expire items by the one table definition’s TTL attribute (idempotency records)', () => {
      expect(props().TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    });

    it('has deletion protection', () => {
      expect(props().DeletionProtectionEnabled).toBe(true);
    });

    it('is encrypted with the customer-managed data key, which rotates', () => {
      const keyId = logicalIdOf(s.stacks.data.key, s.stacks.data);
      expect(props().SSESpecification).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
      expect(resourcesOf(s.t.data, 'AWS::KMS::Key')[keyId]?.Properties?.EnableKeyRotation).toBe(true);
    });

    it('is retained when the stack is deleted or the resource replaced', () => {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    });

    it('carries a resource policy that denies every principal updating or deleting audit entries', () => {
      const statements = props().ResourcePolicy.PolicyDocument.Statement as Json[];
      const deny = statements.find((st) => st.Effect === 'Deny' && st.Principal?.AWS === '*');
      expect(deny).toBeDefined();
      expect([deny.Action].flat()).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
      expect(deny.Condition['ForAnyValue:StringLike']['dynamodb:LeadingKeys']).toEqual(AUDIT_KEY_PATTERNS);
    });
  });

  describe('the personal-data key', () => {
    const key = () => resourcesOf(s.t.data, 'AWS::KMS::Key')[logicalIdOf(s.stacks.data.personalKey, s.stacks.data)] as Resource;

    it('is a customer-managed symmetric key of its own, apart from the key of the table and buckets', () => {
      expect(key()).toBeDefined();
      expect(logicalIdOf(s.stacks.data.personalKey, s.stacks.data)).not.toBe(logicalIdOf(s.stacks.data.key, s.stacks.data));
      expect(key().Properties?.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
      // Nothing in the data stack encrypts with it: it only wraps the towns' keys.
      const others = JSON.stringify([resourcesOf(s.t.data, 'AWS::DynamoDB::Table'), resourcesOf(s.t.data, 'AWS::S3::Bucket')]);
      expect(others).not.toContain(logicalIdOf(s.stacks.data.personalKey, s.stacks.data));
      const aliases = Object.values(resourcesOf(s.t.data, 'AWS::KMS::Alias')).map((a) => a.Properties?.AliasName);
      expect(aliases).toContain('alias/gridline/demo/personal-data');
    });

    it('rotates its key material', () => {
      expect(key().Properties?.EnableKeyRotation).toBe(true);
    });

    it('is retained when the stack is deleted or the resource replaced', () => {
      expect(key().DeletionPolicy).toBe('Retain');
      expect(key().UpdateReplacePolicy).toBe('Retain');
    });
  });

  describe('what outlives the stack', () => {
    it('retains the data key and the buckets', () => {
      for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket'])
        for (const [id, r] of Object.entries(resourcesOf(s.t.data, type))) expect(`${id}:${r.DeletionPolicy}`).toBe(`${id}:Retain`);
    });
  });

  describe('the report and upload buckets', () => {
    const buckets = () =>
      [s.stacks.data.reports, s.stacks.data.uploads].map(
        (b) => resourcesOf(s.t.data, 'AWS::S3::Bucket')[logicalIdOf(b, s.stacks.data)] as Resource,
      );

    it('are encrypted with the data key', () => {
      const keyId = logicalIdOf(s.stacks.data.key, s.stacks.data);
      for (const b of buckets()) {
        const rule = b.Properties?.BucketEncryption.ServerSideEncryptionConfiguration[0];
        expect(rule.ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      }
    });

    it('block all public access', () => {
      for (const b of buckets())
        expect(b.Properties?.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
    });

    it('are versioned and have lifecycle rules', () => {
      for (const b of buckets()) {
        expect(b.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(((b.Properties?.LifecycleConfiguration as Json)?.Rules ?? []).length).toBeGreaterThan(0);
      }
    });

    it('let browsers POST to the uploads bucket cross-origin (signed forms), and nothing else; reports have no CORS', () => {
      const [reports, uploads] = buckets();
      expect(reports?.Properties?.CorsConfiguration).toBeUndefined();
      const rules = ((uploads?.Properties?.CorsConfiguration as Json | undefined)?.CorsRules ?? []) as Json[];
      expect(rules).toHaveLength(1);
      expect(rules[0]?.AllowedMethods).toEqual(['POST']);
      expect(rules[0]?.AllowedOrigins).not.toContain('*');
    });

    it('expire posted originals (tagged unchecked by the form) within days, old versions too', () => {
      const [, uploads] = buckets();
      const rules = ((uploads?.Properties?.LifecycleConfiguration as Json | undefined)?.Rules ?? []) as Json[];
      const rule = rules.find((r) => r.Id === 'unchecked-originals');
      expect(rule).toMatchObject({
        Status: 'Enabled',
        ExpirationInDays: 2,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        TagFilters: [{ Key: 'gridline-stage', Value: 'incoming' }],
      });
    });

    it('refuse requests without TLS', () => {
      for (const b of [s.stacks.data.reports, s.stacks.data.uploads]) {
        const id = logicalIdOf(b, s.stacks.data);
        const policy = Object.values(resourcesOf(s.t.data, 'AWS::S3::BucketPolicy')).find(
          (p) => (p.Properties?.Bucket as Json)?.Ref === id,
        );
        const statements = (policy?.Properties?.PolicyDocument as Json)?.Statement as Json[];
        expect(statements.some((st) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
      }
    });
  });
}
