import { describe, expect, it } from '@jest/globals';
import { describeManifestIssues, parseAgentManifest, validateAgentManifest } from './manifest.js';

const valid = {
  name: 'reach-agent',
  version: '1.2.0',
  protocol: 'grpc',
  agentApiVersion: 'v1',
  entrypoint: { command: 'python', args: ['-m', 'agent.server'] },
};

const issuesOf = (document: unknown) => {
  const result = validateAgentManifest(document);
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return result.issues;
};

describe('agent manifest', () => {
  it('accepts a complete manifest', () => {
    expect(parseAgentManifest(JSON.stringify(valid))).toEqual({ ok: true, manifest: valid });
  });

  it('defaults missing entrypoint args to none and keeps resource requests', () => {
    const result = validateAgentManifest({ ...valid, entrypoint: { command: './agent' }, resources: { cpus: 1.5, memoryMiB: 2048, gpus: 0 } });
    expect(result).toEqual({
      ok: true,
      manifest: { ...valid, entrypoint: { command: './agent', args: [] }, resources: { cpus: 1.5, memoryMiB: 2048, gpus: 0 } },
    });
  });

  it('accepts a runtime the sandbox provides and keeps it', () => {
    expect(validateAgentManifest({ ...valid, runtime: 'python3' })).toEqual({ ok: true, manifest: { ...valid, runtime: 'python3' } });
    expect(validateAgentManifest({ ...valid, runtime: 'node' })).toEqual({ ok: true, manifest: { ...valid, runtime: 'node' } });
  });

  it('rejects a runtime the sandbox does not provide, naming the field and the choices', () => {
    expect(issuesOf({ ...valid, runtime: 'python2' })).toEqual([
      { reason: 'unsupported_runtime', field: 'runtime', message: '"python2" is not supported (supported: python3, node)' },
    ]);
    expect(issuesOf({ ...valid, runtime: 3 })).toEqual([{ reason: 'wrong_type', field: 'runtime', message: 'must be a string, got a number' }]);
  });

  it('rejects text that is not JSON', () => {
    expect(parseAgentManifest('{"name": ')).toEqual({ ok: false, issues: [expect.objectContaining({ reason: 'invalid_json', field: '' })] });
  });

  it('rejects a document that is not an object', () => {
    expect(issuesOf(['grpc'])).toEqual([expect.objectContaining({ reason: 'not_an_object' })]);
  });

  it('names every missing required field', () => {
    const fields = issuesOf({}).map((i) => [i.reason, i.field]);
    expect(fields).toEqual([
      ['missing_field', 'name'],
      ['missing_field', 'version'],
      ['missing_field', 'protocol'],
      ['missing_field', 'agentApiVersion'],
      ['missing_field', 'entrypoint'],
    ]);
  });

  it('rejects a protocol other than grpc', () => {
    expect(issuesOf({ ...valid, protocol: 'http' })).toEqual([
      { reason: 'unsupported_protocol', field: 'protocol', message: '"http" is not supported (supported: grpc)' },
    ]);
  });

  it('rejects an agent API version the platform cannot drive', () => {
    expect(issuesOf({ ...valid, agentApiVersion: 'v2' })).toEqual([expect.objectContaining({ reason: 'unsupported_api_version', field: 'agentApiVersion' })]);
  });

  it('rejects a version that is not semantic', () => {
    expect(issuesOf({ ...valid, version: '1.0' })).toEqual([expect.objectContaining({ reason: 'invalid_value', field: 'version' })]);
  });

  it('rejects a name with characters outside the allowed set', () => {
    expect(issuesOf({ ...valid, name: 'my agent' })).toEqual([expect.objectContaining({ reason: 'invalid_value', field: 'name' })]);
  });

  it('names the nested field of a wrongly typed argument', () => {
    expect(issuesOf({ ...valid, entrypoint: { command: 'python', args: ['-m', 3] } })).toEqual([
      { reason: 'wrong_type', field: 'entrypoint.args.1', message: 'must be a string, got a number' },
    ]);
  });

  it('rejects an empty command', () => {
    expect(issuesOf({ ...valid, entrypoint: { command: '' } })).toEqual([expect.objectContaining({ reason: 'invalid_value', field: 'entrypoint.command' })]);
  });

  it('rejects unknown fields so that typos are not silently ignored', () => {
    expect(issuesOf({ ...valid, entrypiont: {} }).map((i) => [i.reason, i.field])).toEqual([['unknown_field', 'entrypiont']]);
    expect(issuesOf({ ...valid, resources: { memoryMb: 512 } }).map((i) => [i.reason, i.field])).toEqual([['unknown_field', 'resources.memoryMb']]);
  });

  it('rejects resource requests out of range or of the wrong type', () => {
    const issues = issuesOf({ ...valid, resources: { cpus: 0, memoryMiB: 100.5, gpus: '1' } });
    expect(issues.map((i) => [i.reason, i.field])).toEqual([
      ['invalid_value', 'resources.cpus'],
      ['invalid_value', 'resources.memoryMiB'],
      ['wrong_type', 'resources.gpus'],
    ]);
  });

  it('describes issues in one line that names each field', () => {
    expect(describeManifestIssues(issuesOf({ ...valid, version: 1, protocol: 'http' }))).toBe(
      'version: must be a string, got a number; protocol: "http" is not supported (supported: grpc)',
    );
  });
});
