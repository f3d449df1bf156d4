import { AgentDirError, HubError, minerUpload, formatBytes, progressPrinter } from '#storage';
import { parseFlags, type FlagSpecs } from '../args.js';
import { EXIT, type Command } from '../command.js';

const flags = {
  dir: { kind: 'value', required: true, description: 'directory of the agent, with kinitro.json at its root' },
  repo: { kind: 'value', required: true, description: 'Hugging Face Hub repo id "owner/name" (created if missing)' },
  hub: { kind: 'value', env: 'HF_ENDPOINT', description: 'Hub URL (default https://huggingface.co)' },
  message: { kind: 'value', description: 'commit message (default "Upload <name> <version>")' },
} satisfies FlagSpecs;

/** The write token only ever comes from the environment, never from a flag that shells keep in their history. */
const TOKEN_ENV = 'HF_TOKEN';

export const minerUploadCommand: Command = {
  path: ['miner', 'upload'],
  summary: `check kinitro.json and upload an agent directory to the Hub (token from ${TOKEN_ENV}); prints the revision to commit`,
  flags,
  async run(argv, io) {
    const f = parseFlags(argv, flags, io.env);
    const token = io.env[TOKEN_ENV] || undefined;
    const progress = progressPrinter(io.progress ?? { write: (text: string) => io.err(text.trimEnd()) });
    try {
      const result = await minerUpload({
        dir: f.dir!,
        repo: f.repo!,
        ...(f.hub && { hubUrl: f.hub }),
        ...(token && { token }),
        ...(f.message && { commitMessage: f.message }),
        onProgress: progress,
      });
      io.out(`uploaded ${result.manifest.name} ${result.manifest.version}: ${result.files} files (${formatBytes(result.bytes)}) to ${result.repo}@${result.sha}`);
      io.out(`next: kinitro miner commit --competition <id> --repo ${result.repo} --revision ${result.sha}`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof AgentDirError || error instanceof HubError)) throw error;
      io.err(`kinitro miner upload: ${error.message}`);
      return EXIT.failed;
    }
  },
};
