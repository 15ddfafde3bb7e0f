import {describe, expect, it} from 'vitest';
import {FIELD_LIMITS, formRequest, hasEnteredData, initialWizard, parseSource, prefilledWizard, wizardReducer, type WizardAction, type WizardState} from '../../source/ui/wizard-state.js';

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
		expect(parseSource('fe80::1')).toMatchObject({error: expect.stringMatching(/^"fe80::1" is link-local \(fe80::\/10\): routers never forward/)});
	});

	it('validates the port for the protocol', () => {
		const form = {port: '70000', protocol: 'tcp' as const, client: '', clientOs: 'linux' as const, field: 'port' as const};
		expect(formRequest('i-1', form)).toEqual({error: 'port: a number 1–65535'});
		expect(formRequest('i-1', {...form, port: '0'})).toEqual({error: 'port: a number 1–65535'});
		expect(formRequest('i-1', {...form, protocol: 'icmp', port: '8'})).toMatchObject({protocol: 'icmp', port: 8});
		expect(formRequest('i-1', {...form, port: '443'})).toEqual({target: 'i-1', protocol: 'tcp', port: 443, source: {kind: 'any'}, clientOs: 'linux'});
	});

	it('steps forward only with a valid request', () => {
		let state = initialWizard('i-1');
		expect(state.step).toBe(1);
		state = run(state, {type: 'next'});
		expect(state.step).toBe(1);
		expect(state.formError).toMatch(/^port/);
		state = run(state, {type: 'edit', text: '4'}, {type: 'edit', text: 'x'}, {type: 'edit', text: '43'}, {type: 'field', delta: 1}, {type: 'cycle', delta: 1});
		expect(state.form).toMatchObject({port: '443', protocol: 'udp'});
		state = run(state, {type: 'next'}, {type: 'next'});
		expect(state.step).toBe(3);
	});

	it('refuses what a field cannot hold, whole and with a message, keeping the value', () => {
		let state = run(initialWizard('i-1'), {type: 'edit', text: '84'});
		// An address pasted into Port is refused whole (it used to become "19851").
		state = run(state, {type: 'edit', text: '198.51.100.23'});
		expect(state.form.port).toBe('84');
		expect(state.inputNotice).toMatch(/^Port takes digits only: the paste "198\.51\.100\.23"/);
		state = run(state, {type: 'edit', text: 'q'});
		expect(state.form.port).toBe('84');
		expect(state.inputNotice).toBe('Port takes digits only: "q" not typed');
		state = run(state, {type: 'edit', text: '43'});
		expect(state.form.port).toBe('8443');
		expect(state.inputNotice).toBeNull();
		state = run(state, {type: 'edit', text: '12'});
		expect(state.form.port).toBe('8443');
		expect(state.inputNotice).toMatch(/holds at most 5 characters/);
		state = run(state, {type: 'field', delta: 1}, {type: 'field', delta: 1}, {type: 'edit', text: 'x'.repeat(3000)});
		expect(state.form.client).toBe('');
		expect(state.inputNotice).toMatch(new RegExp(`holds at most ${FIELD_LIMITS.client} characters: the paste "x{23}…" \\(3000 characters\\)`));
		state = run(state, {type: 'edit', text: '  2001:db8::/32\t'.trim()}, {type: 'edit', text: ' x'});
		expect(state.form.client).toBe('2001:db8::/32x');
		state = run(state, {type: 'edit', text: 'a b'});
		expect(state.inputNotice).toMatch(/^Client address takes an IP/);
		expect(state.form.client).toBe('2001:db8::/32x');
	});

	it('knows when a quit would lose work, and a new check starts over on the same target', () => {
		expect(hasEnteredData(initialWizard('i-1'))).toBe(false);
		expect(hasEnteredData(run(initialWizard('i-1'), {type: 'edit', text: '4'}))).toBe(true);
		const prefilled = prefilledWizard('i-1', {port: 8443, protocol: 'tcp', client: '198.51.100.23'});
		expect(prefilled).toMatchObject({step: 1, form: {port: '8443', protocol: 'tcp', client: '198.51.100.23'}});
		const fresh = run(prefilled, {type: 'next'}, {type: 'next'}, {type: 'newCheck'});
		expect(fresh).toEqual(initialWizard('i-1'));
	});
});
