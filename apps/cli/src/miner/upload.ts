import { UsageError, type FlagSpecs } from '../args.js';
import { command, EXIT, Failure } from '../command.js';
import { uploadProgressBar } from './progress-bar.js';

const flags = {
  dir: { kind: 'value', required: true, description: 'directory of the agent, with kinitro.json at its root' },
  repo: { kind: 'value', required: true, description: 'Hugging Face Hub repo id "owner/name" (created if missing)' },
  hub: { kind: 'value', env: 'HF_ENDPOINT', default: 'https://huggingface.co', description: 'Hub URL' },
  message: { kind: 'value', description: 'commit message (default "Upload <name> <version>")' },
} satisfies FlagSpecs;

/** The write token only ever comes from the environment, never from a flag that shells keep in their history. */
const TOKEN_ENV = 'HF_TOKEN';

export const minerUploadCommand = command({
  path: ['miner', 'upload'],
  summary: `check kinitro.json and upload an agent directory to the Hub (token from ${TOKEN_ENV}); prints the revision to commit`,
  flags,
  async run(f, io) {
    const { repoIdSchema } = await import('#contracts');
    if (!repoIdSchema.safeParse(f.repo).success) throw new UsageError(`--repo "${f.repo}" is not a Hub repo id "owner/name"`);
    const { AgentDirError, HubError, minerUpload, formatBytes } = await import('#storage');
    const token = io.env[TOKEN_ENV] || undefined;
    const progress = await uploadProgressBar(io, formatBytes);
    try {
      const result = await minerUpload({
        dir: f.dir!,
        repo: f.repo!,
        hubUrl: f.hub!,
        ...(token && { token }),
        ...(f.message && { commitMessage: f.message }),
        onProgress: progress.onProgress,
      });
      progress.stop();
      io.out(
        `uploaded ${result.manifest.name} ${result.manifest.version}: ${result.files} files (${formatBytes(result.bytes)}) to ${result.repo}@${result.sha}`,
      );
      io.out(`next: kinitro miner commit --competition <id> --repo ${result.repo} --revision ${result.sha}`);
      return EXIT.ok;
    } catch (error) {
      progress.stop();
      if (error instanceof AgentDirError || error instanceof HubError) throw new Failure(error.message, { cause: error });
      throw error;
    }
  },
});
