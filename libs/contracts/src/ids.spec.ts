import { describe, expect, it } from '@jest/globals';
import { deriveEventId, deriveId, KINITRO_NAMESPACE } from './ids.js';

// Golden values computed once, independently of this code, with Python's uuid module:
//   /usr/bin/python3 -c "import uuid; ns = uuid.UUID('6f1c2a4e-8d1b-5b7a-9c3e-2f4d6a8b0c1e'); print(uuid.uuid5(ns, '<name>'))"
// where <name> is the parts joined by '|'. Ids already in the log depend on the namespace, the separator and the
// order of the parts: a change to any of them fails here, not silently in production.
describe('derived ids are pinned', () => {
  it('uses the namespace the log was written with', () => {
    expect(KINITRO_NAMESPACE).toBe('6f1c2a4e-8d1b-5b7a-9c3e-2f4d6a8b0c1e');
  });

  it('deriveId: UUIDv5 of the parts joined by "|"', () => {
    expect(deriveId('job-1', '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty')).toBe('aacd2ccc-b383-55c1-b5b3-7e16f89d33a5');
    expect(deriveId('a')).toBe('9e8ab94d-aa8e-5cc1-a47b-ebd5439e01b2');
    expect(deriveId()).toBe('e073aaa2-a98f-5725-a9e7-7829d404c06d');
  });

  it('deriveEventId: UUIDv5 of "<causationId>|<outputType>|<discriminator>"', () => {
    expect(deriveEventId('0192f1a0-7c3e-7005-8a1b-000000000005', 'JobCreated', 'mt10')).toBe('cef22b17-32a0-5eb4-939a-157f15caaff4');
    expect(deriveEventId('0192f1a0-7c3e-7005-8a1b-000000000005', 'SubmissionReceived')).toBe('6f4e6132-c1b0-578f-b3b1-a9580afc5d87');
  });
});
