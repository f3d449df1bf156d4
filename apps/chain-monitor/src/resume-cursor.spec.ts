import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#contracts';
import { resumeCursor } from './resume-cursor.js';

const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const HASH = `0x${'ab'.repeat(32)}`;

const recorded = (type: RecordedEvent['type'], data: Record<string, unknown>): RecordedEvent =>
  ({ type, data, aggregateVersion: 1, streamSequence: 1 }) as unknown as RecordedEvent;
const metagraph = (netuid: number, block: number) => recorded('MetagraphSynced', { netuid, block, blockHash: HASH, neurons: [] });
const commitment = (netuid: number, block: number) => recorded('CommitmentObserved', { netuid, hotkey: HOTKEY, uid: 0, block, blockHash: HASH, raw: '0x00' });

describe('resumeCursor', () => {
  it('has no cursor for a log with nothing of the subnet', () => {
    expect(resumeCursor(5, undefined, undefined)).toBeUndefined();
    expect(resumeCursor(5, metagraph(7, 900), commitment(7, 40))).toBeUndefined();
  });

  it('trusts a metagraph snapshot as "every block up to it is handled"', () => {
    expect(resumeCursor(5, metagraph(5, 200), undefined)).toBe(200);
    expect(resumeCursor(5, metagraph(5, 200), commitment(5, 150))).toBe(200);
    expect(resumeCursor(5, metagraph(5, 200), commitment(5, 200))).toBe(200);
  });

  it('handles the block of the last commitment again, since other hotkeys of that block may be missing', () => {
    expect(resumeCursor(5, metagraph(5, 200), commitment(5, 230))).toBe(229);
    expect(resumeCursor(5, undefined, commitment(5, 1))).toBe(0);
  });

  it('ignores another subnet’s commitment (the commitment subjects are shared by every subnet)', () => {
    expect(resumeCursor(5, metagraph(5, 200), commitment(7, 900))).toBe(200);
  });

  it('ignores a snapshot of another subnet', () => {
    expect(resumeCursor(5, metagraph(7, 900), commitment(5, 40))).toBe(39);
  });
});
