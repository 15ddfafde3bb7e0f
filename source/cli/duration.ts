// Durations on the command line: `10m`, `90s`, `2h`, `1d`; a bare number is minutes.
import {UsageError} from './errors.js';

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** `10m`, `90s`, `2h`, `1d` → milliseconds; a bare number is minutes. */
export function parseDuration(value: string, flag: string): number {
	const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value.trim());
	if (!match) throw new UsageError(`${flag} "${value}" is not a duration (e.g. 90s, 10m, 2h)`);
	return Math.round(Number(match[1]) * (UNITS[match[2] || 'm'] ?? 60_000));
}
