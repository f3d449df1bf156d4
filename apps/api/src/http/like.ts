/** A user's text as a literal ILIKE substring pattern (their % and _ match themselves). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
