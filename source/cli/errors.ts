// Errors the CLI reports as one line on stderr. Anything else that escapes is a bug, but it is
// still reported as one line (see main.ts) — never a stack trace.

/** Bad flags or arguments: exit 2. */
export class UsageError extends Error {
	override name = 'UsageError';
}

/** Unreadable or invalid input (files, snapshots, evidence): exit 2. */
export class InputError extends Error {
	override name = 'InputError';
}

/** Exit codes shared by every subcommand. */
export const EXIT = {ok: 0, notReachable: 1, usage: 2, failure: 3} as const;
