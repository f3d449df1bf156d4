import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadAppConfig } from '#platform';
import { z } from 'zod';
import { createObjectStore, objectStoreConfigFromEnv, objectStoreConfigPart } from './config.js';
import { FsObjectStore } from './fs-store.js';
import { S3ObjectStore } from './s3-store.js';

const s3 = { OBJECT_STORE: 's3', S3_ENDPOINT: 'http://127.0.0.1:7480', S3_BUCKET: 'kinitro-frames', S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'sk' };

const problems = (env: Record<string, string>) => {
  try {
    objectStoreConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('objectStoreConfigFromEnv', () => {
  it('defaults to the filesystem store, which needs nothing installed', () => {
    expect(objectStoreConfigFromEnv({})).toEqual({ kind: 'fs', dir: 'data/objects', publicBaseUrl: undefined });
    expect(createObjectStore(objectStoreConfigFromEnv({}))).toBeInstanceOf(FsObjectStore);
  });

  it('reads the S3 settings, path-style and no bucket creation unless asked', () => {
    const config = objectStoreConfigFromEnv(s3);
    expect(config).toEqual({
      kind: 's3',
      endpoint: 'http://127.0.0.1:7480',
      region: 'us-east-1',
      bucket: 'kinitro-frames',
      accessKey: 'ak',
      secretKey: 'sk',
      pathStyle: true,
      createBucket: false,
    });
    expect(createObjectStore(config)).toBeInstanceOf(S3ObjectStore);
    expect(objectStoreConfigFromEnv({ ...s3, S3_PATH_STYLE: 'false', S3_CREATE_BUCKET: 'true', S3_REGION: 'auto' })).toMatchObject({
      pathStyle: false,
      createBucket: true,
      region: 'auto',
    });
  });

  it('takes a bare host:port, TLS unless S3_USE_SSL=false', () => {
    expect(objectStoreConfigFromEnv({ ...s3, S3_ENDPOINT: 'minio.internal:9000' })).toMatchObject({ endpoint: 'https://minio.internal:9000' });
    expect(objectStoreConfigFromEnv({ ...s3, S3_ENDPOINT: 'minio.internal:9000', S3_USE_SSL: 'false' })).toMatchObject({
      endpoint: 'http://minio.internal:9000',
    });
  });

  it('names every variable S3 still needs', () => {
    expect(problems({ OBJECT_STORE: 's3' }).map((p) => p.variable)).toEqual(['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY']);
  });

  it('names each bad value', () => {
    expect(problems({ OBJECT_STORE: 'gcs' })).toEqual([{ variable: 'OBJECT_STORE', message: 'must be fs or s3' }]);
    expect(problems({ ...s3, S3_USE_SSL: 'maybe' })).toEqual([{ variable: 'S3_USE_SSL', message: 'must be true or false' }]);
    expect(problems({ ...s3, S3_BUCKET: 'Frames_Bucket' })[0]?.variable).toBe('S3_BUCKET');
    expect(problems({ ...s3, S3_ENDPOINT: 'ftp://files.example' })[0]?.variable).toBe('S3_ENDPOINT');
    expect(problems({ ...s3, S3_USE_SSL: 'true' })).toEqual([
      { variable: 'S3_USE_SSL', message: 'contradicts the scheme of S3_ENDPOINT (http://127.0.0.1:7480)' },
    ]);
    expect(problems({ OBJECT_STORE_PUBLIC_URL: 'cdn.example.org' })[0]?.variable).toBe('OBJECT_STORE_PUBLIC_URL');
    expect(problems({ ...s3, S3_CREATE_BUCKET: 'yes', S3_PATH_STYLE: 'no' }).map((p) => p.variable)).toEqual(['S3_PATH_STYLE', 'S3_CREATE_BUCKET']);
  });

  it('joins an app configuration, its problems reported with the shared ones', () => {
    const error = (() => {
      try {
        loadAppConfig(
          z.object({}),
          { NATS_URL: 'http://x', OBJECT_STORE: 's3', S3_ENDPOINT: 'http://h:1', S3_BUCKET: 'b-1', S3_ACCESS_KEY: 'a' },
          objectStoreConfigPart,
        );
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems.map((p) => p.variable)).toEqual(['NATS_URL', 'S3_SECRET_KEY']);
    const config = loadAppConfig(z.object({}), { OBJECT_STORE_DIR: '/var/lib/kinitro/objects' }, objectStoreConfigPart);
    expect(config.objectStore).toEqual({ kind: 'fs', dir: '/var/lib/kinitro/objects', publicBaseUrl: undefined });
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
  });
});
