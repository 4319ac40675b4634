/** A plain object whose keys can be read, as stored, posted or managed values must be before any field is trusted. */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
