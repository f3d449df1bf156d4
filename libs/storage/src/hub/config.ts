import type { HfHubAdapterOptions } from './hf-hub-adapter.js';

/** HF_ENDPOINT and HF_TOKEN, as the Hugging Face tools read them; a bad value names the variable. */
export const hubOptionsFromEnv = (env: Record<string, string | undefined> = process.env): Pick<HfHubAdapterOptions, 'hubUrl' | 'token'> => {
  const endpoint = env['HF_ENDPOINT'] || undefined;
  const token = env['HF_TOKEN'] || undefined;
  if (endpoint !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(endpoint).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`HF_ENDPOINT: must be an http(s) URL, got "${endpoint}"`);
  }
  if (token !== undefined && !token.startsWith('hf_')) throw new Error('HF_TOKEN: must be a Hugging Face token (starts with "hf_")');
  return { ...(endpoint && { hubUrl: endpoint }), ...(token && { token }) };
};
