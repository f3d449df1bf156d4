import { AgentProtocolVersionError } from './errors.js';

/**
 * The revision of `kinitro.agent.v1` this code implements, "<major>.<minor>". The major is the proto package's;
 * the minor counts additive changes within it ("1.1": ActStream; "1.2": concurrent episodes, each on its own
 * ActStream and named by an episode id; "1.3": the steps of several episodes in one message, on
 * ActBatchStream). The Python SDK announces the same value
 * (kinitro_agent/contract.py).
 */
export const PROTOCOL_VERSION = '1.3';

const VERSION = /^(\d{1,4})\.(\d{1,4})$/;
const majorOf = (version: string): number | undefined => {
  const match = VERSION.exec(version);
  return match ? Number(match[1]) : undefined;
};
const minorOf = (version: string): number => Number(VERSION.exec(version)?.[2] ?? 0);

/**
 * An agent may implement any minor of our major (minors only add optional fields, which both sides ignore when
 * unknown); a different major, an unparseable value or none at all is refused before any episode.
 */
export const checkProtocolVersion = (announced: string): void => {
  const ours = majorOf(PROTOCOL_VERSION)!;
  if (majorOf(announced) !== ours) throw new AgentProtocolVersionError(announced, PROTOCOL_VERSION);
};

/** Whether an agent that announced `version` (already checked) serves ActStream, added in 1.1. */
export const servesActStream = (version: string): boolean => minorOf(version) >= 1;

/** Whether an agent that announced `version` (already checked) may be given several episodes at once, added in 1.2. */
export const servesConcurrentEpisodes = (version: string): boolean => minorOf(version) >= 2;

/** Whether an agent that announced `version` (already checked) serves ActBatchStream, added in 1.3. */
export const servesActBatchStream = (version: string): boolean => minorOf(version) >= 3;
