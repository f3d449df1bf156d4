/** Every route lives under it (set as Nest's global prefix). */
export const API_PREFIX = 'api/v1';
