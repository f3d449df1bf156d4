import { describe, expect, it } from '@jest/globals';
import { AgentProtocolVersionError } from './errors.js';
import { checkProtocolVersion, PROTOCOL_VERSION, servesActBatchStream, servesActStream, servesConcurrentEpisodes } from './protocol.js';

describe('protocol version', () => {
  it('is 1.<minor> and accepts any minor of major 1', () => {
    expect(PROTOCOL_VERSION).toBe('1.3');
    for (const v of ['1.0', '1.7', '1.12']) expect(() => checkProtocolVersion(v)).not.toThrow();
  });

  it('drives agents of 1.1 and later through ActStream, 1.0 agents through Act', () => {
    expect(['1.0', '1.1', '1.7', '1.12'].map(servesActStream)).toEqual([false, true, true, true]);
  });

  it('gives agents of 1.2 and later several episodes at once, older agents one at a time', () => {
    expect(['1.0', '1.1', '1.2', '1.12'].map(servesConcurrentEpisodes)).toEqual([false, false, true, true]);
  });

  it('sends the steps of agents of 1.3 and later in batches, older agents one stream per episode', () => {
    expect(['1.1', '1.2', '1.3', '1.12'].map(servesActBatchStream)).toEqual([false, false, true, true]);
  });

  it('refuses another major, garbage, and no version at all with a message saying what to do', () => {
    for (const v of ['2.0', '0.9', '1', 'v1', '1.0.0', ' 1.0']) expect(() => checkProtocolVersion(v)).toThrow(AgentProtocolVersionError);
    expect(() => checkProtocolVersion('')).toThrow('agent announced no protocol version; this evaluator speaks kinitro.agent.v1 1.3 (upgrade the agent SDK)');
    expect(() => checkProtocolVersion('2.1')).toThrow('agent speaks protocol version "2.1"; this evaluator speaks 1.3 (same major required)');
  });
});
