// The SSH connect executor's states and transitions as data, with no I/O: ssh-connect.ts feeds it
// what ssh2 and the sockets report and does what the new state asks (open the next hop, forward a
// channel through a bastion, stop). Tests drive it one event at a time.
//
//   resolving-config → connecting(0) → verifying-host-key(0) [→ asking-host-key(0)]
//     → authenticating(0, method…) → forwarding(0 → 1) → connecting(1) … → ready
//   any non-final state → failed(kind, message)
//
// Hops are numbered in connection order: the bastions (ProxyJump), then the target last. Events
// name their hop; one from a hop already passed (a bastion's late close, a rekey) changes nothing,
// and nothing changes a final state (the first failure is the one reported).
import {errorLine} from '../core/display-text.js';
import type {HostKeyCheck} from './known-hosts.js';
import {classifySshError, SshError, type SshErrorKind} from './ssh-errors.js';

export interface HopPlan {
	/** `user@host[:port]`, prefixed `bastion ` for a jump host: what every message about it starts with. */
	label: string;
	user: string;
	/** `user@host:port`, as a bastion's forwarding failure names the hop it could not reach. */
	address: string;
	/** The credentials this hop may offer, as named in an auth failure (`ssh-agent`, `id_ed25519`). */
	credentials: string[];
	connectTimeoutMs: number;
}

export type ConnectState =
	| {kind: 'resolving-config'}
	| {kind: 'connecting'; hop: number}
	| {kind: 'verifying-host-key'; hop: number}
	/** An unknown host key waits on a person (the hop's timer is paused). */
	| {kind: 'asking-host-key'; hop: number}
	/** `method` is the credential on offer (null before the first is offered). */
	| {kind: 'authenticating'; hop: number; method: string | null}
	/** Opening a channel through bastion `hop` to hop `hop + 1`. */
	| {kind: 'forwarding'; hop: number}
	| {kind: 'ready'; serverVersion: string | null}
	| {kind: 'failed'; reason: SshErrorKind; message: string; fingerprint: string | null};

export interface ConnectMachine {
	plan: HopPlan[];
	state: ConnectState;
	/** Keys of the current hop that could not be used, as a failure names them ("x.pem is encrypted"). */
	skippedKeys: string[];
}

/** What ssh2, the key store and the sockets report. */
export type ConnectEvent =
	| {type: 'resolved'; plan: HopPlan[]}
	| {type: 'host-key-offered'; hop: number}
	| {type: 'host-key-asking'; hop: number}
	| {type: 'host-key-trusted'; hop: number}
	| {type: 'host-key-refused'; hop: number; check: HostKeyCheck}
	| {type: 'host-key-unrecorded'; hop: number; file: string; reason: string}
	| {type: 'auth-offered'; hop: number; method: string}
	| {type: 'key-skipped'; hop: number; note: string}
	| {type: 'hop-ready'; hop: number; serverVersion: string | null}
	| {type: 'forwarded'; hop: number}
	| {type: 'forward-failed'; hop: number; error: unknown}
	| {type: 'ssh-error'; hop: number; error: unknown}
	| {type: 'closed'; hop: number}
	| {type: 'timed-out'; hop: number};

export function initialMachine(): ConnectMachine {
	return {plan: [], state: {kind: 'resolving-config'}, skippedKeys: []};
}

export function isFinal(state: ConnectState): state is Extract<ConnectState, {kind: 'ready' | 'failed'}> {
	return state.kind === 'ready' || state.kind === 'failed';
}

/** The hop the machine is working on (null before the plan and after the end). */
export function currentHop(state: ConnectState): number | null {
	return 'hop' in state ? state.hop : null;
}

/** The failed state's error, as the callers throw it. */
export function failureError(state: Extract<ConnectState, {kind: 'failed'}>): SshError {
	return new SshError(state.reason, state.message, state.fingerprint);
}

/** A short name for a state, for logs and tests: `connecting(0)`, `authenticating(0, ssh-agent)`. */
export function describeState(state: ConnectState): string {
	switch (state.kind) {
		case 'resolving-config':
			return state.kind;
		case 'authenticating':
			return `authenticating(${state.hop}${state.method ? `, ${state.method}` : ''})`;
		case 'ready':
			return 'ready';
		case 'failed':
			return `failed(${state.reason})`;
		default:
			return `${state.kind}(${state.hop})`;
	}
}

function failed(error: SshError): ConnectState {
	return {kind: 'failed', reason: error.kind, message: error.message, fingerprint: error.fingerprint};
}

/** OpenSSH's three refusals, with the one detail each needs to act on. */
export function hostKeyError(check: HostKeyCheck, label: string): SshError {
	if (check.status === 'changed') {
		const where = check.offending ? `${check.offending.file}:${check.offending.line}` : 'known_hosts';
		return new SshError(
			'host-key-changed',
			`${label}: HOST KEY CHANGED — ${check.keyType} ${check.fingerprint} differs from the key recorded in ${where}; refusing to connect (possible man-in-the-middle)`,
			check.fingerprint,
		);
	}
	if (check.status === 'revoked') {
		const where = check.offending ? `${check.offending.file}:${check.offending.line}` : 'known_hosts';
		return new SshError('host-key-revoked', `${label}: host key ${check.keyType} ${check.fingerprint} is REVOKED in ${where}; refusing to connect`, check.fingerprint);
	}
	const others = check.knownTypes.length > 0 ? ` (known_hosts has only ${check.knownTypes.join(', ')} keys for it)` : '';
	return new SshError(
		'host-key-unknown',
		`${label}: unknown host key ${check.keyType} ${check.fingerprint} for ${check.lookupName}${others}; not trusted (--accept-new records it)`,
		check.fingerprint,
	);
}

function authFailure(hop: HopPlan, skipped: string[]): SshError {
	const notes = skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '';
	return new SshError('auth-failed', `${hop.label}: authentication failed as "${hop.user}" (tried ${hop.credentials.length > 0 ? hop.credentials.join(', ') : 'no keys'}${notes})`);
}

function isAuthError(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as {level?: unknown}).level === 'client-authentication';
}

/** The next machine after `event`. Pure: the same machine and event always give the same result. */
export function transition(machine: ConnectMachine, event: ConnectEvent): ConnectMachine {
	const {state} = machine;
	if (isFinal(state)) return machine;
	if (event.type === 'resolved') {
		if (state.kind !== 'resolving-config') throw new Error(`ssh connect: resolved twice (in ${describeState(state)})`);
		if (event.plan.length === 0) throw new Error('ssh connect: a plan needs at least the target');
		return {plan: event.plan, state: {kind: 'connecting', hop: 0}, skippedKeys: []};
	}
	// Everything else is about one hop: only the hop being worked on moves the machine.
	if (currentHop(state) !== event.hop) return machine;
	const hop = machine.plan[event.hop];
	if (!hop) throw new Error(`ssh connect: no hop ${event.hop} in a plan of ${machine.plan.length}`);
	const to = (next: ConnectState): ConnectMachine => ({...machine, state: next});

	switch (event.type) {
		case 'timed-out': {
			// "No SSH answer" only when the host never sent a key: after that it did answer.
			const silent = state.kind === 'connecting';
			return to(failed(new SshError('timeout', `${hop.label}: timed out after ${Math.round(hop.connectTimeoutMs / 1000)}s${silent ? ' (no SSH answer: security group, NACL or route?)' : ''}`)));
		}
		case 'closed':
			return to(failed(new SshError('connection-lost', `${hop.label}: connection closed before login`)));
		case 'ssh-error':
			if (state.kind === 'forwarding') return machine;
			return to(failed(isAuthError(event.error) ? authFailure(hop, machine.skippedKeys) : classifySshError(event.error, hop.label)));
		case 'host-key-offered':
			// A rekey offers the key again: only the first offer starts verification.
			return state.kind === 'connecting' ? to({kind: 'verifying-host-key', hop: event.hop}) : machine;
		case 'host-key-asking':
			return state.kind === 'verifying-host-key' ? to({kind: 'asking-host-key', hop: event.hop}) : machine;
		case 'host-key-trusted':
			return state.kind === 'verifying-host-key' || state.kind === 'asking-host-key' ? to({kind: 'authenticating', hop: event.hop, method: null}) : machine;
		case 'host-key-refused':
			return to(failed(hostKeyError(event.check, hop.label)));
		case 'host-key-unrecorded':
			return to(failed(new SshError('other', `${hop.label}: could not record the host key in ${event.file} (${event.reason})`)));
		case 'auth-offered':
			return state.kind === 'authenticating' ? to({kind: 'authenticating', hop: event.hop, method: event.method}) : machine;
		case 'key-skipped':
			return {...machine, skippedKeys: [...machine.skippedKeys, event.note]};
		case 'hop-ready': {
			if (state.kind === 'forwarding') return machine;
			const last = event.hop === machine.plan.length - 1;
			return {...machine, skippedKeys: [], state: last ? {kind: 'ready', serverVersion: event.serverVersion} : {kind: 'forwarding', hop: event.hop}};
		}
		case 'forwarded':
			return state.kind === 'forwarding' ? to({kind: 'connecting', hop: event.hop + 1}) : machine;
		case 'forward-failed': {
			if (state.kind !== 'forwarding') return machine;
			// The bastion's channel-open failure text ("Connection refused", "timed out", …) classified
			// as a direct connection's error would be, so a hop fails with the same kinds and hints.
			const next = machine.plan[event.hop + 1]!;
			const {kind} = classifySshError(event.error, hop.label);
			return to(failed(new SshError(kind, `${next.address} via ${hop.label}: the bastion could not open a connection (${errorLine(event.error)})`)));
		}
	}
}
