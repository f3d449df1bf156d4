import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createSandbox, PYTHON3, sandboxConfigSchema } from '#agent';

/** What this machine can run agents with: the real sandbox and Python's gRPC, or what the platform fell back to and why. */
export interface AgentHost {
  sandbox: 'bwrap' | 'process';
  runtime: 'python3' | 'node';
  /** One line per fallback, saying how to install the real thing. */
  fallbacks: string[];
}

/** Probes bubblewrap (at AGENT_SANDBOX_BWRAP or its default path; it must be able to start a sandbox here) and Debian's python3-grpcio/protobuf/numpy. */
export const probeAgentHost = async (env: Record<string, string | undefined> = process.env): Promise<AgentHost> => {
  const fallbacks: string[] = [];
  let sandbox: AgentHost['sandbox'] = 'bwrap';
  try {
    const bwrap = env.AGENT_SANDBOX_BWRAP;
    await createSandbox(sandboxConfigSchema.parse(bwrap ? { AGENT_SANDBOX_BWRAP: bwrap } : {}), { logger: { warn: () => undefined } });
  } catch (error) {
    sandbox = 'process';
    fallbacks.push(
      `sandbox: bubblewrap cannot run here (${(error as Error).message}); agents run as plain processes WITHOUT isolation. Install it: apt-get install bubblewrap`,
    );
  }
  const python = existsSync(PYTHON3) && spawnSync(PYTHON3, ['-c', 'import grpc, google.protobuf, numpy'], { stdio: 'ignore' }).status === 0;
  if (!python) {
    fallbacks.push(
      `agent runtime: ${PYTHON3} lacks grpc, protobuf or numpy, so the miner's agent is the TypeScript one. Install them: apt-get install python3-grpcio python3-protobuf python3-numpy`,
    );
  }
  return { sandbox, runtime: python ? 'python3' : 'node', fallbacks };
};
