import { dirname, join, resolve } from 'node:path';
import type { AgentManifest, AgentRuntime } from '#domain';

/** Where the evaluator's checkout keeps what the sandboxed runtimes need (all mounted read-only). */
export interface RuntimeLayout {
  /** `sdk/python`: the kinitro_agent package, put on PYTHONPATH. */
  pythonSdkDir: string;
  /** `dist/libs`: the built libraries; the TypeScript SDK is `agent/src/sdk/index.js` in it. */
  builtLibsDir: string;
  /** The checkout's `node_modules` (@grpc/grpc-js, @bufbuild/protobuf and what they need). */
  nodeModulesDir: string;
  /** The checkout's package.json: it makes the built `.js` files ES modules and maps `#sim` for the libs. */
  packageJson: string;
}

export const PYTHON3 = '/usr/bin/python3';
/** The variable naming the TypeScript SDK module inside the sandbox. */
export const NODE_SDK_VARIABLE = 'KINITRO_AGENT_SDK';

export const runtimeLayoutOf = (repoRoot: string): RuntimeLayout => ({
  pythonSdkDir: resolve(repoRoot, 'sdk/python'),
  builtLibsDir: resolve(repoRoot, 'dist/libs'),
  nodeModulesDir: resolve(repoRoot, 'node_modules'),
  packageJson: resolve(repoRoot, 'package.json'),
});

/** How the sandbox starts the manifest's entrypoint: the program as seen inside, the mounts and variables it needs. */
export interface RuntimeLaunch {
  command: string;
  args: string[];
  runtimeDirs: string[];
  env: Record<string, string>;
}

/** A manifest without `runtime` gets the one its command names (`python3`, `python`, `node`), else python3. */
const runtimeOf = (manifest: AgentManifest): AgentRuntime => manifest.runtime ?? (/(^|\/)node$/.test(manifest.entrypoint.command) ? 'node' : 'python3');

/** Node outside /usr (nvm, a tarball) brings its prefix, mounted read-only; /usr is mounted anyway. */
const nodePrefix = (): string[] => {
  const prefix = dirname(dirname(process.execPath));
  return prefix === '/usr' || prefix === '/' ? [] : [prefix];
};

/**
 * The runtimes the sandbox provides beside the agent's own files:
 * - `python3`: Debian's /usr/bin/python3 (grpcio, protobuf, numpy under /usr) with `sdk/python` on PYTHONPATH;
 * - `node`: this evaluator's Node binary, with the built libraries, node_modules and package.json of the checkout
 *   mounted read-only at their own paths; the agent imports the SDK from $KINITRO_AGENT_SDK. An agent that
 *   bundles its own copy of the SDK (one self-contained .mjs) needs none of that and works the same.
 * The entrypoint's `python3`/`python`/`node` is replaced by that runtime's binary; any other command is run as given.
 */
export const runtimeLaunch = (manifest: AgentManifest, layout: RuntimeLayout): RuntimeLaunch => {
  const { command, args } = manifest.entrypoint;
  if (runtimeOf(manifest) === 'python3') {
    return {
      command: command === 'python3' || command === 'python' ? PYTHON3 : command,
      args: [...args],
      runtimeDirs: [layout.pythonSdkDir],
      env: { PYTHONPATH: layout.pythonSdkDir },
    };
  }
  return {
    command: command === 'node' ? process.execPath : command,
    args: [...args],
    runtimeDirs: [...nodePrefix(), layout.builtLibsDir, layout.nodeModulesDir, layout.packageJson],
    env: { [NODE_SDK_VARIABLE]: join(layout.builtLibsDir, 'agent/src/sdk/index.js') },
  };
};
