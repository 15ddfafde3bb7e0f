// What each wizard step concluded, for the rail — computed from the same evidence the steps draw,
// during render, never copied into state: after `R` or new records the rail and the panel change
// together, and the two can never tell different counts.
import {describeRequest} from './wizard-state.js';
import {verdictText, layersInPathOrder} from './verdict-text.js';
import {plural} from './format.js';
import type {ListenVerdict} from './ListenStep.js';
import type {RejectTally} from './ReproduceStep.js';
import type {CheckRequest} from '../core/types.js';
import type {CheckResult} from './services.js';

export type FindingTone = 'good' | 'bad' | 'warn' | 'muted';
export interface RailFinding {
	text: string;
	tone: FindingTone;
	/** Said instead of `text` when the rail is too narrow for it (an id is never cut in half). */
	short?: string;
}

export interface FindingInputs {
	step: number;
	/** "web-1 (eni-…)" once resolved, else the id typed. */
	targetLabel: string | null;
	/** The bare id, for a narrow rail. */
	targetId: string | null;
	request: CheckRequest | null;
	listen: ListenVerdict | null;
	result: CheckResult | null;
	tally: RejectTally | null;
	saved: boolean;
}

const LISTEN_TEXT = {'not-listening': '✗ not listening', 'loopback-only': '✗ loopback only', listening: '✓ listening'} as const;

/** The rejects line both the rail and step 5's headline use. */
export function tallyText(tally: RejectTally): string {
	const parts = [tally.requests ? plural(tally.requests, 'REJECT') : '', tally.replies ? `${plural(tally.replies, 'reply', 'replies')} dropped` : ''].filter(Boolean);
	return parts.length ? `✗ ${parts.join(', ')}` : 'no REJECT yet';
}

export function railFindings(input: FindingInputs): Array<RailFinding | null> {
	const {step, request, listen, result, tally} = input;
	const findings: Array<RailFinding | null> = [null, null, null, null, null, null, null];
	if (input.targetLabel) findings[0] = {text: input.targetLabel, tone: 'muted', ...(input.targetId ? {short: input.targetId} : {})};
	if (step >= 2 && request) findings[1] = {text: describeRequest(request), tone: 'muted'};
	if (step >= 2 && listen && listen.kind !== 'pending') {
		// Unknown says why in a few words: "no access" was wrong for a NAT gateway or ICMP.
		findings[2] = {text: listen.kind === 'unknown' ? listen.rail : LISTEN_TEXT[listen.kind], tone: listen.kind === 'listening' ? 'good' : listen.kind === 'unknown' ? (listen.rail.startsWith('?') ? 'warn' : 'muted') : 'bad'};
	}
	if (step >= 3 && result) {
		// As the verdict counts them (core/check.ts verdictOf): a layer that stops part of the
		// traffic blocks it; "rules allow" only when no rule layer is in doubt either.
		const layers = layersInPathOrder(result);
		const blocked = layers.filter(([, layer]) => layer.status === 'deny' || layer.status === 'partial').map(([title]) => title);
		const unknown = layers.filter(([, layer, name]) => layer.status === 'unknown' && name !== 'host').map(([title]) => title);
		findings[3] = blocked.length ? {text: `✗ blocked: ${blocked.join(', ')}`, tone: 'bad'}
			: unknown.length ? {text: `? unknown: ${unknown.join(', ')}`, tone: 'warn'}
			: {text: '✓ rules allow', tone: 'good'};
	}
	if (step >= 4 && tally) {
		const text = tallyText(tally);
		// At 80 columns "✗ 3 REJECTs, 1 reply dropped" is one cell too long for the rail.
		const short = tally.requests && tally.replies ? `✗ ${plural(tally.requests, 'REJECT')}, ${plural(tally.replies, 'reply', 'replies')}` : undefined;
		findings[4] = {text, tone: text.startsWith('✗') ? 'bad' : 'muted', ...(short ? {short} : {})};
	}
	if (step >= 5 && result) {
		const verdict = verdictText(result.verdict);
		findings[5] = {text: verdict.title, tone: verdict.tone === 'info' ? 'muted' : verdict.tone};
	}
	if (input.saved) findings[6] = {text: '✓ saved', tone: 'good'};
	return findings;
}
