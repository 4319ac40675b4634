/**
 * Failures nobody waits on, logged by their name only: an error's message may hold request details
 * (an address, a server's answer). `warn` for what the extension gets over, `error` for a bug.
 */
const nameOf = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

export const logWarning = (what: string, error: unknown): void => console.warn(`Glean Images: ${what}`, nameOf(error));

export const logError = (what: string, error: unknown): void => console.error(`Glean Images: ${what}`, nameOf(error));
