import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {run, type AuditIo} from '../../source/cli/commands/audit.js';
import {UsageError} from '../../source/cli/errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const snapshot = join(root, 'demo/snapshot');

async function audit(options: Record<string, unknown>) {
	let out = '';
	let err = '';
	const io: AuditIo = {stdout: {write: (text: string) => (out += text)}, stderr: {write: (text: string) => (err += text)}};
	const code = await run(options, [], io);
	return {code, out, err};
}

describe('sgtui audit on the demo snapshot', () => {
	const dirs: string[] = [];
	afterAll(() => dirs.forEach((dir) => rmSync(dir, {recursive: true, force: true})));

	it('lists the findings most severe first, each with its command', async () => {
		const {code, out, err} = await audit({snapshot});
		expect(code).toBe(0);
		expect(err).toBe('');
		expect(out.split('\n')[0]).toBe('Audit of ' + snapshot + ': 5 findings (2 high, 2 medium, 1 low); listener captures for 5 instances');
		expect(out).toMatch(/HIGH +world-open-admin-port +sg-0e11b22c33d44e505 +tcp 3389 from 0\.0\.0\.0\/0/);
		expect(out).toContain('[medium] sg-0b11b22c33d44e502 (app-sg) ingress tcp 8080 from members of sg-0a11b22c33d44e501: tcp 8080 listens only on loopback on i-0b2c3d4e5f6071829 — Only node (pid 3141) on 127.0.0.1:8080 listens on tcp 8080: it accepts local connections only.');
		expect(out).toMatch(/Fix: Bind the service to 0\.0\.0\.0 \(or the instance's private IP 10\.20\.2\.20\) instead of 127\.0\.0\.1.*\n {3}Otherwise: Only if the service is meant to stay local.*\n {5}aws ec2 revoke-security-group-ingress --group-id sg-0b11b22c33d44e502 /);
		expect(out).toContain('nothing listens on tcp 3306 on i-0c3d4e5f607182930. Open but unused: close it.');
		expect(out).toContain(`aws ec2 revoke-security-group-ingress --group-id sg-0c11b22c33d44e503 --ip-permissions 'IpProtocol=tcp,FromPort=3306,ToPort=3306,UserIdGroupPairs=[{GroupId=sg-0b11b22c33d44e502}]'`);
		expect(out).toContain('[low] sg-0711b22c33d44e507 (legacy-ftp) is attached to no network interface.');
	});

	it('--json gives the findings as data', async () => {
		const {out} = await audit({snapshot, json: true});
		const {findings} = JSON.parse(out);
		expect(findings.map((f: {kind: string}) => f.kind)).toEqual(['world-open-admin-port', 'world-open-admin-port', 'loopback-only', 'open-but-unused', 'unattached-group']);
		expect(findings[0].rule).toMatchObject({protocol: 'tcp', fromPort: 21, peer: {kind: 'cidr4', cidr: '0.0.0.0/0'}});
	});

	it('without host captures it says which are missing instead of calling ports unused', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sgtui-audit-'));
		dirs.push(dir);
		cpSync(join(snapshot, 'aws'), join(dir, 'aws'), {recursive: true});
		const {out} = await audit({snapshot: dir, json: true});
		const {findings} = JSON.parse(out);
		expect(findings.some((f: {kind: string}) => f.kind === 'open-but-unused' || f.kind === 'loopback-only')).toBe(false);
		expect(findings.filter((f: {kind: string}) => f.kind === 'evidence-missing').map((f: {message: string}) => f.message)).toContain(
			'Cannot tell whether the ports sg-0c11b22c33d44e503 (db-sg) opens are in use: no listener capture for i-0c3d4e5f607182930.',
		);
	});

	it('needs --snapshot', async () => {
		await expect(audit({})).rejects.toThrow(new UsageError('--snapshot DIR is required'));
	});
});
