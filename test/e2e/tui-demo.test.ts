// `sgtui --demo` in a real terminal (tmux): the lab, Live Tail and the SSH probe behind the UI,
// driven by keys as a user would, then the fix applied to the lab with the AWS CLI from "another
// terminal" and the verdict turning to reachable.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {hasTmux, TmuxSession} from './tmux-session.js';

const built = existsSync('dist/cli/main.js');
const tmux = hasTmux();
if (!tmux) console.warn('test/e2e/tui-demo: tmux is not installed, the end-to-end TUI test is skipped (apt-get install tmux)');

describe.skipIf(!tmux)('sgtui --demo in a terminal', () => {
	const session = new TmuxSession('demo');
	const state = mkdtempSync(path.join(os.tmpdir(), 'sgtui-e2e-'));

	beforeAll(() => {
		expect(built, 'dist/cli/main.js is missing: run `npm run build` first').toBe(true);
		session.start(`sh -c 'node dist/cli/main.js --demo; echo "EXIT=$?"; sleep 60'`, {columns: 100, rows: 30}, {XDG_STATE_HOME: state, HOME: state, TERM: 'xterm-256color'});
	});
	afterAll(() => session.kill());

	it('shows the inventory from the lab', async () => {
		const screen = await session.waitFor('win-jump');
		expect(screen).toContain('demo lab 127.0.0.1:');
		expect(screen).toMatch(/web-1\s+eni-0f1e2d3c4b5a69788/);
		expect(session.display('#{alternate_on}')).toBe('1');
	});

	it('drills into web-1 and sees live REJECTs arrive through Live Tail', async () => {
		session.send('/');
		session.type('web-1');
		session.send('Enter');
		await session.waitFor((screen) => screen.includes('/web-1') && !screen.includes('bastion'));
		session.send('Enter');
		await session.waitFor('Security group sg-0a11b22c33d44e501 web-sg');
		session.send('3');
		const screen = await session.waitFor(/Live Tail · ● streaming[\s\S]*[1-9]\d* REJECT/, 20_000);
		expect(screen).toMatch(/198\.51\.100\.\d+\s+8443 tcp/);
		session.send('Escape');
		await session.waitFor('Network interfaces');
	});

	it('runs the wizard to a verdict with the narrowest fix', async () => {
		session.send('w');
		await session.waitFor('What fails?');
		session.type('8443');
		session.send('Down', 'Down');
		session.type('198.51.100.23');
		session.send('Enter');
		await session.waitFor('✓ Listening');
		session.send('Enter');
		await session.waitFor('✗ Security groups');
		session.send('Enter');
		await session.waitFor(/[1-9]\d* REJECTs? to tcp\/8443/, 20_000);
		session.send('Enter');
		const verdict = await session.waitFor('Blocked by the security groups');
		expect(verdict).toContain('authorize-security-group-ingress');
		expect(verdict).toContain('198.51.100.23/32');
		expect(verdict).not.toContain('0.0.0.0/0');
	});

	it('after the fix is applied with the AWS CLI, the same check says reachable', async () => {
		const env = readFileSync(path.join(state, 'sgtui', 'demo', 'aws-env.sh'), 'utf8');
		const vars = Object.fromEntries([...env.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
		const aws = spawnSync('aws', ['ec2', 'authorize-security-group-ingress', '--group-id', 'sg-0a11b22c33d44e501', '--ip-permissions', 'IpProtocol=tcp,FromPort=8443,ToPort=8443,IpRanges=[{CidrIp=198.51.100.23/32}]'], {env: {...process.env, ...vars}, encoding: 'utf8'});
		if (aws.error) {
			console.warn(`test/e2e/tui-demo: the AWS CLI is not available (${aws.error.message}); fix step skipped`);
			return;
		}
		expect(aws.status, aws.stderr).toBe(0);
		session.send(':');
		session.type('inventory');
		session.send('Enter');
		await session.waitFor('Network interfaces');
		session.send('R');
		session.send('w');
		await session.waitFor('What fails?');
		session.type('8443');
		session.send('Down', 'Down');
		session.type('198.51.100.23');
		session.send('Enter', 'Enter');
		const layers = await session.waitFor(/✓ Security groups/);
		expect(layers).not.toContain('✗ Security groups');
	});

	it('says when the terminal is too small, recovers on resize, and quits cleanly', async () => {
		session.resize(70, 20);
		await session.waitFor('Terminal too small: 70×20');
		session.resize(100, 30);
		await session.waitFor('Triage');
		session.send(':');
		session.type('inventory');
		session.send('Enter');
		await session.waitFor('Network interfaces');
		session.send('q');
		const screen = await session.waitFor('EXIT=0');
		expect(screen).not.toContain('Network interfaces');
		expect(session.display('#{alternate_on}')).toBe('0');
		expect(session.display('#{cursor_flag}')).toBe('1');
	});
});
