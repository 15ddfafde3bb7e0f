// Words for the stream's state and timing, shared by the Rejects tab and the wizard's step 5.
import type {CoverageView, StreamStatus} from './services.js';
import {duration} from './format.js';
import type {Tone} from './theme.js';

export function modeLabel(status: StreamStatus): {text: string; tone: Tone} {
	const mode = status.mode === 'live-tail' ? 'Live Tail' : status.mode === 'polling' ? 'polling FilterLogEvents' : status.mode === 'replay' ? 'replaying the snapshot' : 'no stream';
	const state: Record<StreamStatus['state'], [string, Tone]> = {
		idle: ['idle', 'muted'],
		connecting: ['connecting…', 'warn'],
		streaming: ['● streaming', 'good'],
		reconnecting: ['reconnecting…', 'warn'],
		done: ['replay finished', 'muted'],
		stopped: ['stopped', 'muted'],
		error: ['✗ failed', 'bad'],
	};
	const [word, tone] = state[status.state];
	// The late-delivery window sits beside the mode: how late a record may arrive and still be shown.
	const window = status.windowMs ? ` · late window ${duration(Math.round(status.windowMs / 1000))}` : '';
	const late = status.late ? ` · ${status.late} late beyond the window` : '';
	return {text: `${mode} · ${word}${window}${late}${status.sampled ? ' · SAMPLED (counts are lower bounds)' : ''}`, tone};
}

/** "interval 60 s + delivery ~5 min: a REJECT shows ~6 min after the attempt". */
export function timingLabel(coverage: CoverageView | null): string {
	if (!coverage || coverage.aggregationSeconds === null) return 'no flow log: rejects cannot be observed';
	const delivery = coverage.deliverySeconds ?? 0;
	const total = coverage.aggregationSeconds + delivery;
	if (delivery === 0) return `interval ${duration(coverage.aggregationSeconds)}, delivered at once here (AWS adds ~5 min): a REJECT can take ~${duration(total)} to show`;
	return `interval ${duration(coverage.aggregationSeconds)} + delivery ~${duration(delivery)}: a REJECT can take ~${duration(total)} to show`;
}

export function waitWindowSeconds(coverage: CoverageView | null): number | null {
	if (!coverage || coverage.aggregationSeconds === null) return null;
	return coverage.aggregationSeconds + (coverage.deliverySeconds ?? 0);
}
