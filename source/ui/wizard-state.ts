// The triage wizard's state as a reducer: which step, the target and the request form (port,
// protocol, client, client OS) with validation. What each step concluded is not state: the rail
// derives it from the evidence during render (wizard-findings.ts), so it can never go stale.
import {isAwsId} from '../core/aws-ids.js';
import {isValidAddress, isValidCidr} from '../core/cidr.js';
import {sourceScopeRefusal} from '../core/source-scope.js';
import {isDisplaySafe} from '../core/display-text.js';
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
	/** Why the last keys or paste were not typed (wrong characters, too long); cleared by the next edit. */
	inputNotice: string | null;
}

/** The most a text field holds: a port is 5 digits; the longest client is an IPv6 CIDR with an embedded IPv4 (49). */
export const FIELD_LIMITS = {port: 5, client: 64} as const;

export type WizardAction =
	| {type: 'target'; target: string}
	| {type: 'next'}
	| {type: 'prev'}
	| {type: 'field'; delta: 1 | -1}
	| {type: 'edit'; text: string}
	| {type: 'erase'}
	| {type: 'cycle'; delta: 1 | -1}
	| {type: 'any'}
	/** Back to step 2 with an empty form (the "new check" after a saved report). */
	| {type: 'newCheck'};

export function initialWizard(target: string | null): WizardState {
	return {
		step: target ? 1 : 0,
		target,
		form: {port: '', protocol: 'tcp', client: '', clientOs: 'linux', field: 'port'},
		formError: null,
		inputNotice: null,
	};
}

/** Pre-filled from evidence (a Rejects row, a listener, an audit finding): straight to the form, filled in. */
export function prefilledWizard(target: string, prefill: WizardPrefill): WizardState {
	const state = initialWizard(target);
	return {...state, form: {...state.form, port: prefill.port === null ? '' : String(prefill.port), protocol: prefill.protocol, client: prefill.client ?? ''}};
}

export interface WizardPrefill {
	port: number | null;
	protocol: CheckProtocol;
	client: string | null;
}

/** A flow record's protocol number as the wizard's protocol (null for one the wizard cannot check). */
export function wizardProtocol(protocol: number | null | undefined): CheckProtocol | null {
	if (protocol === 6) return 'tcp';
	if (protocol === 17) return 'udp';
	if (protocol === 1 || protocol === 58) return 'icmp';
	return null;
}

/** True once the user has entered something a quit would lose. */
export function hasEnteredData(state: WizardState): boolean {
	return state.step > 1 || state.form.port !== '' || state.form.client !== '';
}

/** A short, printable preview of refused input for a message (it is the user's own text, but may hold anything). */
function preview(text: string): string {
	// Only the first 24 characters are looked at: a paste may be thousands.
	let printable = '';
	let count = 0;
	for (const char of text) {
		if (++count > 24) return `${[...printable].slice(0, 23).join('')}…`;
		printable += isDisplaySafe(char) ? char : '·';
	}
	return printable;
}

/** The field after typing `text` into it, or why it was refused (the field keeps its value). */
export function typeInto(field: 'port' | 'client', value: string, text: string): {value: string} | {refused: string} {
	const what = text.length > 1 ? `the paste "${preview(text)}" (${text.length} characters) was not typed` : `"${preview(text)}" not typed`;
	const typed = field === 'client' && text.length > 1 ? text.trim() : text;
	// The first reason that says most: what a port is made of; how long a client can be.
	const limit = FIELD_LIMITS[field];
	if (field === 'port' && !/^\d+$/.test(typed)) return {refused: `Port takes digits only: ${what}`};
	if (value.length + typed.length > limit) return {refused: `${field === 'port' ? 'Port' : 'Client address'} holds at most ${limit} characters: ${what}`};
	if (field === 'client' && !/^[0-9A-Za-z.:/-]+$/.test(typed)) return {refused: `Client address takes an IP, a CIDR or an sg- id (letters, digits . : / -): ${what}`};
	return {value: value + typed};
}

export function parseSource(text: string): TrafficSource | {error: string} {
	const value = text.trim();
	if (value === '' || value.toLowerCase() === 'any') return {kind: 'any'};
	if (value.startsWith('sg-')) return isAwsId('securityGroup', value) ? {kind: 'group', groupId: value} : {error: `not a security group id (sg- then 8 or 17 lowercase hex digits): ${value}`};
	const refused = (value.includes('/') ? isValidCidr(value) : isValidAddress(value)) ? sourceScopeRefusal(value) : null;
	if (refused) return {error: refused};
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
			return {...state, target: action.target, step: 1};
		case 'next': {
			if (state.step === 0 && !state.target) return state;
			if (state.step === 1) {
				const request = formRequest(state.target!, state.form);
				if ('error' in request) return {...state, formError: request.error};
				return {...state, step: 2, formError: null, inputNotice: null};
			}
			return {...state, step: Math.min(6, state.step + 1) as StepIndex};
		}
		case 'prev':
			return {...state, step: Math.max(0, state.step - 1) as StepIndex, formError: null, inputNotice: null};
		case 'field':
			return {...state, form: {...state.form, field: cycle(FORM_FIELDS, state.form.field, action.delta)}};
		case 'edit': {
			const {field} = state.form;
			if (field !== 'port' && field !== 'client') return {...state, inputNotice: `${field === 'protocol' ? 'Protocol' : 'Client OS'} is a choice: ←/→ or space changes it`};
			const typed = typeInto(field, state.form[field], action.text);
			if ('refused' in typed) return {...state, inputNotice: typed.refused};
			return {...state, formError: null, inputNotice: null, form: {...state.form, [field]: typed.value}};
		}
		case 'erase': {
			const {field} = state.form;
			if (field === 'port') return {...state, inputNotice: null, form: {...state.form, port: state.form.port.slice(0, -1)}};
			if (field === 'client') return {...state, inputNotice: null, form: {...state.form, client: state.form.client.slice(0, -1)}};
			return state;
		}
		case 'cycle': {
			const {field} = state.form;
			if (field === 'protocol') return {...state, form: {...state.form, protocol: cycle(PROTOCOLS, state.form.protocol, action.delta)}};
			if (field === 'clientOs') return {...state, form: {...state.form, clientOs: cycle(CLIENT_OSES, state.form.clientOs, action.delta)}};
			return state;
		}
		case 'any':
			return {...state, formError: null, inputNotice: null, form: {...state.form, client: ''}};
		case 'newCheck':
			return state.target ? initialWizard(state.target) : initialWizard(null);
	}
}
