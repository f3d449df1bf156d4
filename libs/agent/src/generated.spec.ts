import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The generated code is committed (CI runs `npm ci && npm test` and reviewers read the diff); this keeps it honest:
 * regenerating from proto/ with the pinned buf and ts-proto (offline) must give the committed bytes.
 */
const BUF = resolve('node_modules/.bin/buf');
const GENERATED_TS = 'libs/agent/src/generated/kinitro/agent/v1/agent.ts';
const DESCRIPTOR_SET = 'sdk/python/kinitro_agent/agent_v1.binpb';

describe('generated contract code', () => {
  it('matches what `npm run proto:gen` makes from proto/ (run it after editing the .proto)', () => {
    const out = mkdtempSync(join(tmpdir(), 'kinitro-proto-'));
    try {
      execFileSync(BUF, ['generate', '-o', out], { stdio: 'pipe' });
      execFileSync(BUF, ['build', 'proto', '--exclude-source-info', '-o', join(out, 'agent_v1.binpb')], { stdio: 'pipe' });
      expect(readFileSync(join(out, GENERATED_TS), 'utf8')).toBe(readFileSync(GENERATED_TS, 'utf8'));
      expect(readFileSync(join(out, 'agent_v1.binpb')).equals(readFileSync(DESCRIPTOR_SET))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 30_000);

  it('lints clean under buf STANDARD rules', () => {
    expect(() => execFileSync(BUF, ['lint', 'proto'], { stdio: 'pipe' })).not.toThrow();
  }, 30_000);
});
