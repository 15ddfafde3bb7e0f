// How far CloudWatch Logs' clock is from this machine's, read from the `Date` header of its
// responses (RFC 9110 §6.6.1: the origin's clock when it made the response). The reject stream
// compares its own instants (when it started, up to when it has read) with the service's stamps
// (event and ingestion times); a machine clock tens of seconds off made it skip every record as
// history for that long, or read gaps from the wrong place. The SDK corrects its clock only for
// signing, and only past 5 minutes of skew (`systemClockOffset`), hence this small reader.
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';

/** Below this the header's one-second resolution and the network's latency are all it says. */
export const SKEW_NOISE_MS = 2000;

const offsets = new WeakMap<object, {offsetMs: number | null}>();

/** The service's clock minus this machine's (ms), once a response said; null before. Small offsets read 0. */
export function serverClockOffset(client: CloudWatchLogsClient): number | null {
	return offsets.get(client)?.offsetMs ?? null;
}

/** The offset a response's Date header gives, received at `receivedAt` (local ms); null without a usable header. */
export function offsetFromDate(date: string | undefined, receivedAt: number): number | null {
	if (!date) return null;
	const server = Date.parse(date);
	if (Number.isNaN(server)) return null;
	// The header is truncated to the second: its middle is the best guess.
	const offset = server + 500 - receivedAt;
	return Math.abs(offset) < SKEW_NOISE_MS ? 0 : offset;
}

/** Reads the offset from every response of this client from now on (once per client). */
export function trackServerClock(client: CloudWatchLogsClient): void {
	if (offsets.has(client)) return;
	const state = {offsetMs: null as number | null};
	offsets.set(client, state);
	client.middlewareStack.add(
		(next) => async (args) => {
			const result = await next(args);
			const response = result.response as {headers?: Record<string, string | undefined>} | undefined;
			const offset = offsetFromDate(response?.headers?.date ?? response?.headers?.Date, Date.now());
			if (offset !== null) state.offsetMs = offset;
			return result;
		},
		{step: 'deserialize', name: 'sgtuiServerClock', override: true},
	);
}
