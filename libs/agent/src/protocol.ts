import { AgentProtocolVersionError } from './errors.js';

/**
 * The revision of `kinitro.agent.v1` this code implements, "<major>.<minor>". The major is the proto package's;
 * the minor counts additive changes within it. The Python SDK announces the same value (kinitro_agent/contract.py).
 */
export const PROTOCOL_VERSION = '1.0';

const VERSION = /^(\d{1,4})\.(\d{1,4})$/;
const majorOf = (version: string): number | undefined => {
  const match = VERSION.exec(version);
  return match ? Number(match[1]) : undefined;
};

/**
 * An agent may implement any minor of our major (minors only add optional fields, which both sides ignore when
 * unknown); a different major, an unparseable value or none at all is refused before any episode.
 */
export const checkProtocolVersion = (announced: string): void => {
  const ours = majorOf(PROTOCOL_VERSION)!;
  if (majorOf(announced) !== ours) throw new AgentProtocolVersionError(announced, PROTOCOL_VERSION);
};
