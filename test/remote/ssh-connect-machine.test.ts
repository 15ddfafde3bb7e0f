// The SSH connect machine driven one event at a time, as ssh2 and the sockets would report them.
// The expected messages are written out in full: they are what the operator reads.
import {describe, expect, it} from 'vitest';
import type {HostKeyCheck} from '../../source/remote/known-hosts.js';
import {describeState, failureError, initialMachine, transition, type ConnectEvent, type ConnectMachine, type HopPlan} from '../../source/remote/ssh-connect-machine.js';

const bastion: HopPlan = {label: 'bastion ec2-user@203.0.113.5', user: 'ec2-user', address: 'ec2-user@203.0.113.5:22', credentials: ['ssh-agent'], connectTimeoutMs: 10_000};
const target: HopPlan = {label: 'ubuntu@10.0.1.10:2222', user: 'ubuntu', address: 'ubuntu@10.0.1.10:2222', credentials: ['ssh-agent', 'id_ed25519'], connectTimeoutMs: 15_000};

/** Applies the events in order; returns every state's short name and the last machine. */
function drive(events: ConnectEvent[], start: ConnectMachine = initialMachine()) {
	let machine = start;
	const seen = [describeState(machine.state)];
	for (const event of events) {
		const next = transition(machine, event);
		if (next.state !== machine.state) seen.push(describeState(next.state));
		machine = next;
	}
	return {seen, machine};
}

const check = (status: HostKeyCheck['status'], extra: Partial<HostKeyCheck> = {}): HostKeyCheck => ({
	status, lookupName: '[10.0.1.10]:2222', keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', knownTypes: [], ...extra,
});

describe('SSH connect machine', () => {
	it('walks a bastion and a target to ready, in connection order', () => {
		const {seen, machine} = drive([
			{type: 'resolved', plan: [bastion, target]},
			{type: 'host-key-offered', hop: 0},
			{type: 'host-key-trusted', hop: 0},
			{type: 'auth-offered', hop: 0, method: 'ssh-agent'},
			{type: 'hop-ready', hop: 0, serverVersion: 'OpenSSH_9.6'},
			{type: 'forwarded', hop: 0},
			{type: 'host-key-offered', hop: 1},
			{type: 'host-key-asking', hop: 1},
			{type: 'host-key-trusted', hop: 1},
			{type: 'auth-offered', hop: 1, method: 'ssh-agent'},
			{type: 'auth-offered', hop: 1, method: 'id_ed25519'},
			{type: 'hop-ready', hop: 1, serverVersion: 'OpenSSH_for_Windows_9.5'},
		]);
		expect(seen).toEqual([
			'resolving-config', 'connecting(0)', 'verifying-host-key(0)', 'authenticating(0)', 'authenticating(0, ssh-agent)', 'forwarding(0)',
			'connecting(1)', 'verifying-host-key(1)', 'asking-host-key(1)', 'authenticating(1)', 'authenticating(1, ssh-agent)', 'authenticating(1, id_ed25519)', 'ready',
		]);
		expect(machine.state).toEqual({kind: 'ready', serverVersion: 'OpenSSH_for_Windows_9.5'});
	});

	it('ignores what a hop already passed reports (a bastion closing, a rekey) and anything after the end', () => {
		const atTarget = drive([
			{type: 'resolved', plan: [bastion, target]},
			{type: 'host-key-offered', hop: 0},
			{type: 'host-key-trusted', hop: 0},
			{type: 'hop-ready', hop: 0, serverVersion: null},
			{type: 'forwarded', hop: 0},
		]).machine;
		expect(transition(atTarget, {type: 'closed', hop: 0})).toBe(atTarget);
		expect(transition(atTarget, {type: 'ssh-error', hop: 0, error: new Error('read ECONNRESET')})).toBe(atTarget);
		const failed = transition(atTarget, {type: 'timed-out', hop: 1});
		expect(transition(failed, {type: 'closed', hop: 1})).toBe(failed);
		expect(transition(failed, {type: 'hop-ready', hop: 1, serverVersion: null})).toBe(failed);
		const verifying = transition(transition(atTarget, {type: 'host-key-offered', hop: 1}), {type: 'host-key-trusted', hop: 1});
		expect(transition(verifying, {type: 'host-key-offered', hop: 1})).toBe(verifying);
	});

	it('says "no SSH answer" on a timeout only while the host has sent nothing', () => {
		const silent = drive([{type: 'resolved', plan: [target]}, {type: 'timed-out', hop: 0}]).machine.state;
		expect(silent).toMatchObject({kind: 'failed', reason: 'timeout', message: 'ubuntu@10.0.1.10:2222: timed out after 15s (no SSH answer: security group, NACL or route?)'});
		const answered = drive([{type: 'resolved', plan: [target]}, {type: 'host-key-offered', hop: 0}, {type: 'host-key-trusted', hop: 0}, {type: 'timed-out', hop: 0}]).machine.state;
		expect(answered).toMatchObject({kind: 'failed', reason: 'timeout', message: 'ubuntu@10.0.1.10:2222: timed out after 15s'});
	});

	it('reports a refused host key, not the ssh2 error that follows it', () => {
		const {machine} = drive([
			{type: 'resolved', plan: [target]},
			{type: 'host-key-offered', hop: 0},
			{type: 'host-key-refused', hop: 0, check: check('changed', {offending: {file: '/home/u/.ssh/known_hosts', line: 3}})},
			{type: 'ssh-error', hop: 0, error: new Error('Handshake failed: host verification failed')},
		]);
		expect(machine.state.kind).toBe('failed');
		const error = failureError(machine.state as Extract<typeof machine.state, {kind: 'failed'}>);
		expect(error).toMatchObject({kind: 'host-key-changed', fingerprint: 'SHA256:abc'});
		expect(error.message).toBe('ubuntu@10.0.1.10:2222: HOST KEY CHANGED — ssh-ed25519 SHA256:abc differs from the key recorded in /home/u/.ssh/known_hosts:3; refusing to connect (possible man-in-the-middle)');
		const unknown = drive([{type: 'resolved', plan: [target]}, {type: 'host-key-offered', hop: 0}, {type: 'host-key-refused', hop: 0, check: check('unknown', {knownTypes: ['ssh-rsa']})}]).machine.state;
		expect(unknown).toMatchObject({reason: 'host-key-unknown', message: 'ubuntu@10.0.1.10:2222: unknown host key ssh-ed25519 SHA256:abc for [10.0.1.10]:2222 (known_hosts has only ssh-rsa keys for it); not trusted (--accept-new records it)'});
	});

	it('names what was tried and what was skipped when authentication fails', () => {
		const {machine} = drive([
			{type: 'resolved', plan: [target]},
			{type: 'host-key-offered', hop: 0},
			{type: 'host-key-trusted', hop: 0},
			{type: 'key-skipped', hop: 0, note: 'old.pem (encrypted, no passphrase given)'},
			{type: 'auth-offered', hop: 0, method: 'id_ed25519'},
			{type: 'ssh-error', hop: 0, error: Object.assign(new Error('All configured authentication methods failed'), {level: 'client-authentication'})},
		]);
		expect(machine.state).toMatchObject({kind: 'failed', reason: 'auth-failed', message: 'ubuntu@10.0.1.10:2222: authentication failed as "ubuntu" (tried ssh-agent, id_ed25519; skipped old.pem (encrypted, no passphrase given))'});
	});

	it('classifies socket errors and a bastion that cannot forward like a direct connection', () => {
		const refused = drive([{type: 'resolved', plan: [target]}, {type: 'ssh-error', hop: 0, error: Object.assign(new Error('connect ECONNREFUSED 10.0.1.10:2222'), {code: 'ECONNREFUSED'})}]).machine.state;
		expect(refused).toMatchObject({reason: 'refused', message: 'ubuntu@10.0.1.10:2222: connection refused'});
		const closed = drive([{type: 'resolved', plan: [target]}, {type: 'host-key-offered', hop: 0}, {type: 'closed', hop: 0}]).machine.state;
		expect(closed).toMatchObject({reason: 'connection-lost', message: 'ubuntu@10.0.1.10:2222: connection closed before login'});
		const forward = drive([
			{type: 'resolved', plan: [bastion, target]},
			{type: 'host-key-offered', hop: 0},
			{type: 'host-key-trusted', hop: 0},
			{type: 'hop-ready', hop: 0, serverVersion: null},
			{type: 'forward-failed', hop: 0, error: new Error('(SSH) Channel open failure: Connection refused')},
		]).machine.state;
		expect(forward).toMatchObject({reason: 'refused', message: 'ubuntu@10.0.1.10:2222 via bastion ec2-user@203.0.113.5: the bastion could not open a connection ((SSH) Channel open failure: Connection refused)'});
	});

	it('clears skipped keys between hops, so a target failure names only its own', () => {
		const {machine} = drive([
			{type: 'resolved', plan: [bastion, target]},
			{type: 'host-key-offered', hop: 0},
			{type: 'host-key-trusted', hop: 0},
			{type: 'key-skipped', hop: 0, note: 'bastion.pem (unreadable)'},
			{type: 'hop-ready', hop: 0, serverVersion: null},
			{type: 'forwarded', hop: 0},
			{type: 'host-key-offered', hop: 1},
			{type: 'host-key-trusted', hop: 1},
			{type: 'ssh-error', hop: 1, error: Object.assign(new Error('All configured authentication methods failed'), {level: 'client-authentication'})},
		]);
		expect(machine.state).toMatchObject({message: 'ubuntu@10.0.1.10:2222: authentication failed as "ubuntu" (tried ssh-agent, id_ed25519)'});
	});

	it('refuses a plan twice or an empty plan (a driver bug, not a connection failure)', () => {
		const started = transition(initialMachine(), {type: 'resolved', plan: [target]});
		expect(() => transition(started, {type: 'resolved', plan: [target]})).toThrow(/resolved twice/);
		expect(() => transition(initialMachine(), {type: 'resolved', plan: []})).toThrow(/at least the target/);
	});
});
