// Limits on what one probe may cost, in a module with no imports so the CLI can read them
// without loading ssh2.

/**
 * How long one probe command may take before its host is failed (`--command-timeout`). A listing
 * answers in well under a second; a host that accepts the command and never answers must not hold
 * the other hosts' results (or the TUI's panel) forever.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 20_000;
