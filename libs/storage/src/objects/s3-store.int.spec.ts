import { randomBytes } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { objectStoreContract } from './object-store.contract.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-store.js';
import { freePort } from '#testing';

/**
 * Runs against the S3 server S3_TEST_ENDPOINT names (Ceph RGW from infra/s3/rgw-up.sh; `.ci/run` always sets
 * it, so in CI a server that did not start fails these tests). Without it, locally, the suite is skipped.
 */
const endpoint = process.env['S3_TEST_ENDPOINT'];

if (!endpoint) {
  describe('ObjectStore contract: S3', () => {
    it.skip('needs S3_TEST_ENDPOINT (start Ceph RGW with infra/s3/rgw-up.sh and export what it prints as S3_TEST_*)', () => undefined);
  });
} else {
  objectStoreContract('S3 (Ceph RGW)', async () => {
    const options: S3ObjectStoreOptions = {
      endpoint,
      region: 'us-east-1',
      bucket: `kinitro-test-${randomBytes(4).toString('hex')}`,
      accessKey: process.env['S3_TEST_ACCESS_KEY'] ?? 'kinitro-test',
      secretKey: process.env['S3_TEST_SECRET_KEY'] ?? 'kinitro-test-secret',
      pathStyle: true,
      createBucket: true,
    };
    const store = new S3ObjectStore(options);
    return {
      store,
      broken: new S3ObjectStore({ ...options, endpoint: `http://127.0.0.1:${await freePort()}`, retries: 0 }),
      presigns: true,
      teardown: () => store.destroyBucket(),
    };
  });
}
