// Durations on the command line: `10m`, `90s`, `2h`, `1d`; a bare number is minutes. Each is
// bounded by what it feeds: a time reaching back no further than CloudWatch Logs keeps events
// (its longest retention is 10 years, 3653 days; and Date.now() minus more than that is still a
// Date), a wait no longer than a Node timer takes (a 32-bit signed count of ms: beyond it Node
// warns and fires after 1 ms), the late-delivery allowance at most a day.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
import {UsageError} from './errors.js';

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
const DAY = 86_400_000;

/** How far back a --since or --history may reach. */
export const MAX_LOOKBACK = {ms: 3653 * DAY, why: '3653d (CloudWatch Logs keeps events at most 10 years)'} as const;
/** How long a --for may wait: whole days under 2^31 − 1 ms. */
export const MAX_WAIT = {ms: 24 * DAY, why: '24d (the longest a timer waits)'} as const;

/** `10m`, `90s`, `2h`, `1d` → milliseconds; a bare number is minutes; at most `max`. */
export function parseDuration(value: string, flag: string, max: {ms: number; why: string} = MAX_LOOKBACK): number {
	const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value.trim());
	if (!match) throw new UsageError(`${flag} "${value}" is not a duration (e.g. 90s, 10m, 2h)`);
	const ms = Math.round(Number(match[1]) * (UNITS[match[2] || 'm'] ?? 60_000));
	if (ms > max.ms) throw new UsageError(`${flag} "${value}" is longer than ${max.why}`);
	return ms;
}

/** `--late-window`: the delivery allowance on top of the aggregation interval, at most 24h. */
export function parseLateWindow(value: unknown): number {
	const ms = parseDuration(String(value), '--late-window', {ms: Infinity, why: ''});
	if (ms > DAY) throw new UsageError(`--late-window must be at most 24h, got "${String(value)}"`);
	return ms;
}
