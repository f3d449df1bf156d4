/** Keeps only the filters a client actually sent, so `undefined` never reaches a WHERE clause. */
export const definedOnly = <T extends object>(filters: T): { [K in keyof T]: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
