import {describe, expect, it} from 'vitest';
import {formRequest, initialWizard, parseSource, wizardReducer, type WizardAction, type WizardState} from '../../source/ui/wizard-state.js';

const run = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);

describe('wizard state', () => {
	it('reads the client as any, an address, a CIDR or a group, and refuses the rest', () => {
		expect(parseSource('')).toEqual({kind: 'any'});
		expect(parseSource('any')).toEqual({kind: 'any'});
		expect(parseSource('198.51.100.23')).toEqual({kind: 'address', address: '198.51.100.23'});
		expect(parseSource('2001:db8::1')).toEqual({kind: 'address', address: '2001:db8::1'});
		expect(parseSource('198.51.100.0/24')).toEqual({kind: 'cidr', cidr: '198.51.100.0/24'});
		expect(parseSource('sg-0a11b22c33d44e501')).toEqual({kind: 'group', groupId: 'sg-0a11b22c33d44e501'});
		expect(parseSource('example.com')).toEqual({error: 'not an IP address, CIDR or sg- id: example.com'});
		expect(parseSource('10.0.0.0/33')).toEqual({error: 'not a CIDR: 10.0.0.0/33'});
	});

	it('validates the port for the protocol', () => {
		const form = {port: '70000', protocol: 'tcp' as const, client: '', clientOs: 'linux' as const, field: 'port' as const};
		expect(formRequest('i-1', form)).toEqual({error: 'port: a number 1–65535'});
		expect(formRequest('i-1', {...form, port: '0'})).toEqual({error: 'port: a number 1–65535'});
		expect(formRequest('i-1', {...form, protocol: 'icmp', port: '8'})).toMatchObject({protocol: 'icmp', port: 8});
		expect(formRequest('i-1', {...form, port: '443'})).toEqual({target: 'i-1', protocol: 'tcp', port: 443, source: {kind: 'any'}, clientOs: 'linux'});
	});

	it('steps forward only with a valid request, and a changed request clears later findings', () => {
		let state = initialWizard('i-1');
		expect(state.step).toBe(1);
		state = run(state, {type: 'next'});
		expect(state.step).toBe(1);
		expect(state.formError).toMatch(/^port/);
		state = run(state, {type: 'edit', text: '4'}, {type: 'edit', text: 'x'}, {type: 'edit', text: '43'}, {type: 'field', delta: 1}, {type: 'cycle', delta: 1});
		expect(state.form).toMatchObject({port: '443', protocol: 'udp'});
		state = run(state, {type: 'next'}, {type: 'finding', step: 2, text: '✓ listening', tone: 'good'}, {type: 'next'});
		expect(state.step).toBe(3);
		expect(state.findings[1]).toEqual({text: 'udp/443 from any client', tone: 'muted'});
		state = run(state, {type: 'prev'}, {type: 'prev'}, {type: 'next'});
		expect(state.findings[2]).toBeUndefined();
	});
});
