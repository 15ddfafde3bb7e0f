// The triage wizard's state as a reducer: which step, the target, the request form (port,
// protocol, client, client OS) with validation, and what each step concluded for the rail.
import {isValidAddress, isValidCidr} from '../core/cidr.js';
import type {CheckProtocol, CheckRequest, ClientOs, TrafficSource} from '../core/types.js';

export const WIZARD_STEPS = ['Target', 'What fails', 'Listening?', 'Rules', 'Reproduce', 'Verdict', 'Save report'] as const;
export type StepIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type FormField = 'port' | 'protocol' | 'client' | 'clientOs';
export const FORM_FIELDS: readonly FormField[] = ['port', 'protocol', 'client', 'clientOs'];
export const PROTOCOLS: readonly CheckProtocol[] = ['tcp', 'udp', 'icmp'];
export const CLIENT_OSES: readonly ClientOs[] = ['linux', 'windows', 'nat'];

export interface WizardForm {
	port: string;
	protocol: CheckProtocol;
	/** Empty = any source. */
	client: string;
	clientOs: ClientOs;
	field: FormField;
}

export interface WizardState {
	step: StepIndex;
	/** Instance or ENI id chosen in step 1. */
	target: string | null;
	form: WizardForm;
	formError: string | null;
	/** One short finding per step, shown on the rail. */
	findings: Partial<Record<StepIndex, {text: string; tone: 'good' | 'bad' | 'warn' | 'muted'}>>;
}

export type WizardAction =
	| {type: 'target'; target: string}
	| {type: 'next'}
	| {type: 'prev'}
	| {type: 'field'; delta: 1 | -1}
	| {type: 'edit'; text: string}
	| {type: 'erase'}
	| {type: 'cycle'; delta: 1 | -1}
	| {type: 'any'}
	| {type: 'finding'; step: StepIndex; text: string; tone: 'good' | 'bad' | 'warn' | 'muted'};

export function initialWizard(target: string | null): WizardState {
	// The rail shows the target; WizardScreen replaces the id with "name (id)" once resolved.
	return {
		step: target ? 1 : 0,
		target,
		form: {port: '', protocol: 'tcp', client: '', clientOs: 'linux', field: 'port'},
		formError: null,
		findings: target ? {0: {text: target, tone: 'muted'}} : {},
	};
}

export function parseSource(text: string): TrafficSource | {error: string} {
	const value = text.trim();
	if (value === '' || value.toLowerCase() === 'any') return {kind: 'any'};
	if (/^sg-[0-9a-f]+$/i.test(value)) return {kind: 'group', groupId: value};
	if (value.includes('/')) return isValidCidr(value) ? {kind: 'cidr', cidr: value} : {error: `not a CIDR: ${value}`};
	return isValidAddress(value) ? {kind: 'address', address: value} : {error: `not an IP address, CIDR or sg- id: ${value}`};
}

/** The CheckRequest the form describes, or the first thing wrong with it. */
export function formRequest(target: string, form: WizardForm): CheckRequest | {error: string} {
	const port = Number(form.port);
	const max = form.protocol === 'icmp' ? 255 : 65535;
	if (!/^\d+$/.test(form.port.trim()) || port > max || (form.protocol !== 'icmp' && port === 0)) {
		return {error: form.protocol === 'icmp' ? 'ICMP type: a number 0–255 (8 = echo request / ping)' : `port: a number 1–${max}`};
	}
	const source = parseSource(form.client);
	if ('error' in source) return source;
	return {target, protocol: form.protocol, port, source, clientOs: form.clientOs};
}

export function describeRequest(request: CheckRequest): string {
	const from = request.source.kind === 'any' ? 'any client'
		: request.source.kind === 'address' ? request.source.address
		: request.source.kind === 'cidr' ? request.source.cidr
		: request.source.groupId;
	return `${request.protocol}/${request.port} from ${from}`;
}

function cycle<T>(values: readonly T[], current: T, delta: number): T {
	return values[(values.indexOf(current) + delta + values.length) % values.length]!;
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
	switch (action.type) {
		case 'target':
			return {...state, target: action.target, step: 1, findings: {0: {text: action.target, tone: 'muted'}}};
		case 'next': {
			if (state.step === 0 && !state.target) return state;
			if (state.step === 1) {
				const request = formRequest(state.target!, state.form);
				if ('error' in request) return {...state, formError: request.error};
				// A changed request invalidates what later steps concluded.
				return {...state, step: 2, formError: null, findings: {0: state.findings[0], 1: {text: describeRequest(request), tone: 'muted'}}};
			}
			return {...state, step: Math.min(6, state.step + 1) as StepIndex};
		}
		case 'prev':
			return {...state, step: Math.max(0, state.step - 1) as StepIndex, formError: null};
		case 'field':
			return {...state, form: {...state.form, field: cycle(FORM_FIELDS, state.form.field, action.delta)}};
		case 'edit': {
			const {field} = state.form;
			if (field === 'port') return {...state, formError: null, form: {...state.form, port: (state.form.port + action.text).replace(/\D/g, '').slice(0, 5)}};
			if (field === 'client') return {...state, formError: null, form: {...state.form, client: (state.form.client + action.text).replace(/\s/g, '').slice(0, 64)}};
			return state;
		}
		case 'erase': {
			const {field} = state.form;
			if (field === 'port') return {...state, form: {...state.form, port: state.form.port.slice(0, -1)}};
			if (field === 'client') return {...state, form: {...state.form, client: state.form.client.slice(0, -1)}};
			return state;
		}
		case 'cycle': {
			const {field} = state.form;
			if (field === 'protocol') return {...state, form: {...state.form, protocol: cycle(PROTOCOLS, state.form.protocol, action.delta)}};
			if (field === 'clientOs') return {...state, form: {...state.form, clientOs: cycle(CLIENT_OSES, state.form.clientOs, action.delta)}};
			return state;
		}
		case 'any':
			return {...state, formError: null, form: {...state.form, client: ''}};
		case 'finding': {
			const previous = state.findings[action.step];
			if (previous && previous.text === action.text && previous.tone === action.tone) return state;
			return {...state, findings: {...state.findings, [action.step]: {text: action.text, tone: action.tone}}};
		}
	}
}
