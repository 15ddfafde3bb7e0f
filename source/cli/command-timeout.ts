// `--command-timeout`: how long one probe command may run before its host is failed. A duration as
// elsewhere on the command line (`5s`, `2m`), bounded so a typo cannot disable it or wait a day.
import {parseDuration} from './duration.js';
import {UsageError} from './errors.js';
import {DEFAULT_COMMAND_TIMEOUT_MS} from '../remote/probe-limits.js';

const MIN_MS = 1000;
const MAX_MS = 30 * 60_000;

export function parseCommandTimeout(value: unknown): number {
	if (value === undefined || value === null) return DEFAULT_COMMAND_TIMEOUT_MS;
	if (typeof value !== 'string' || value.trim() === '') throw new UsageError('--command-timeout needs a duration (e.g. 20s, 2m)');
	const ms = parseDuration(value, '--command-timeout');
	if (ms < MIN_MS || ms > MAX_MS) throw new UsageError(`--command-timeout ${value}: give 1s to 30m`);
	return ms;
}
