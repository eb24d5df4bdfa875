/** A mistake in how a command was called: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70 } as const;
