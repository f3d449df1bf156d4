/** The store of API key verifiers (ApiKeyVerifiers): the API's private KV bucket. */
export const API_KEY_VERIFIERS = Symbol('API_KEY_VERIFIERS');
