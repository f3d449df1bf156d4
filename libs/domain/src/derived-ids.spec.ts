import { describe, expect, it } from '@jest/globals';
import { evaluationIdFor } from './evaluation/ids.js';
import { jobIdFor, rerunJobIdFor, submissionIdFor } from './scheduler/ids.js';

// Reactors re-derive these ids on every redelivery and every replay of the log, so a changed formula would append
// a second submission, job or evaluation for a fact already handled. Values re-derived independently with Python:
//   /usr/bin/python3 -c "import uuid; ns = uuid.UUID('6f1c2a4e-8d1b-5b7a-9c3e-2f4d6a8b0c1e');
//     d = lambda *p: str(uuid.uuid5(ns, '|'.join(p))); s = d('submission', '12', HOTKEY, '1234', '0x6d74313007'); ..."
const HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const SUBMISSION = 'c6113531-089e-51a9-a32c-b06e62eca8f3';
const JOB = '46e753a6-aad7-5abf-bf50-fdc8b0971a36';

describe('derived aggregate ids are pinned', () => {
  it('submission: UUIDv5("submission|<netuid>|<hotkey>|<block>|<raw>")', () => {
    expect(submissionIdFor(12, HOTKEY, 1234, '0x6d74313007')).toBe(SUBMISSION);
  });

  it('job: UUIDv5("job|<submissionId>|<benchmark>")', () => {
    expect(jobIdFor(SUBMISSION, 'mt10')).toBe(JOB);
  });

  it('rerun job: UUIDv5("rerun|<requestId>|<rerunOf>")', () => {
    expect(rerunJobIdFor('0192f1a0-7c3e-7005-8a1b-000000000007', JOB)).toBe('fefbae66-149d-5dd4-8e55-2d5afcd31b1e');
  });

  it('evaluation: UUIDv5("evaluation|<jobId>|<validator>")', () => {
    expect(evaluationIdFor(JOB, HOTKEY)).toBe('22887993-6dc4-53f7-a05e-01dc705d459f');
  });
});
