// The transport choice (SSH or Systems Manager) and the Run Command output splitter: pure rules,
// checked case by case against the README's table and the agent's documented truncation.
import {describe, expect, it} from 'vitest';
import {chooseTransport, isProbeVia, type SsmStatus} from '../../source/core/probe-transport.js';
import {splitSsmSections, SSM_OUTPUT_LIMIT, SSM_TRUNCATION_MARK} from '../../source/core/ssm-output.js';

const online: SsmStatus = {kind: 'online'};
const notManaged: SsmStatus = {kind: 'not-managed'};
const offline: SsmStatus = {kind: 'offline', reason: 'its SSM agent is offline (ConnectionLost)'};
const unknown: SsmStatus = {kind: 'unknown', reason: 'ssm:DescribeInstanceInformation denied'};

describe('chooseTransport', () => {
	it('auto: SSH when the ssh config or --user names the host, even if SSM could answer', () => {
		expect(chooseTransport('auto', {isInstance: true, sshNamed: true, ssm: online})).toMatchObject({transport: 'ssh', ssmNote: null});
	});

	it('auto: Systems Manager when nothing names the host and the agent is online', () => {
		expect(chooseTransport('auto', {isInstance: true, sshNamed: false, ssm: online})).toMatchObject({transport: 'ssm'});
	});

	it.each([
		[notManaged, 'not a managed instance'],
		[offline, 'offline (ConnectionLost)'],
		[unknown, 'not checked: ssm:DescribeInstanceInformation denied'],
	])('auto: SSH to the inventory address when SSM cannot help (%o), keeping why for the error', (ssm, note) => {
		const choice = chooseTransport('auto', {isInstance: true, sshNamed: false, ssm});
		expect(choice.transport).toBe('ssh');
		expect(choice.transport === 'ssh' && choice.ssmNote).toContain(note);
	});

	it('auto: host names and user@host always go over SSH', () => {
		expect(chooseTransport('auto', {isInstance: false, sshNamed: true, ssm: online})).toMatchObject({transport: 'ssh', ssmNote: null});
	});

	it('--via forces the transport; ssm needs an instance id', () => {
		expect(chooseTransport('ssh', {isInstance: true, sshNamed: false, ssm: online})).toMatchObject({transport: 'ssh'});
		expect(chooseTransport('ssm', {isInstance: true, sshNamed: true, ssm: notManaged})).toMatchObject({transport: 'ssm'});
		expect(chooseTransport('ssm', {isInstance: false, sshNamed: true, ssm: unknown})).toMatchObject({transport: null, error: expect.stringContaining('i-… targets')});
	});

	it('knows its option values', () => {
		expect(['auto', 'ssh', 'ssm'].every(isProbeVia)).toBe(true);
		expect(isProbeVia('SSM')).toBe(false);
		expect(isProbeVia(undefined)).toBe(false);
	});
});

describe('splitSsmSections', () => {
	const P = '--- sgtui: ';
	it('splits the sections and sees the end marker (CRLF from PowerShell too)', () => {
		const out = `${P}listing netstat -nao\r\n  Proto  Local Address\r\n  TCP 0.0.0.0:135 0.0.0.0:0 LISTENING 920\r\n${P}tasklist x\r\n"a.exe","1"\r\n${P}end\r\n`;
		const split = splitSsmSections(out, P, 'end');
		expect(split).toMatchObject({complete: true, truncated: false});
		expect(split.sections.get('listing netstat -nao')).toBe('  Proto  Local Address\n  TCP 0.0.0.0:135 0.0.0.0:0 LISTENING 920');
		expect(split.sections.get('tasklist x')).toBe('"a.exe","1"');
	});

	it('an output cut by the agent ends with its mark: truncated, and the mark is not data', () => {
		const out = `${P}listing ss -H -ltnup\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\ntcp LIS\n${SSM_TRUNCATION_MARK}`;
		const split = splitSsmSections(out, P, 'end');
		expect(split).toMatchObject({complete: false, truncated: true});
		expect(split.sections.get('listing ss -H -ltnup')).toBe('tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\ntcp LIS');
	});

	it('no end marker at the 24,000-character limit is truncation even without the mark', () => {
		const out = `${P}listing ss -H -ltnup\n${'x'.repeat(SSM_OUTPUT_LIMIT)}`;
		expect(splitSsmSections(out, P, 'end')).toMatchObject({complete: false, truncated: true});
	});

	it('a short output without the end marker is incomplete but not truncated (the script died)', () => {
		expect(splitSsmSections(`${P}os\nLinux\n`, P, 'end')).toMatchObject({complete: false, truncated: false});
		expect(splitSsmSections('', P, 'end')).toMatchObject({complete: false, truncated: false, length: 0});
	});
});
