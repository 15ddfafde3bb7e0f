// The full-screen UI against moto in a real terminal (tmux), as a user points it at any
// AWS-compatible endpoint: `AWS_ENDPOINT_URL=URL sgtui --no-probe`, placeholder credentials, a HOME
// without AWS config. The account is boto3's (test/fixtures/moto/populate.py): the bastion's records
// sit in its `<eni>-all` stream, and moto has no Live Tail, so the Rejects tab must poll and say why.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {shellCommand} from '../../source/core/shell-quote.js';
import {builtCli} from '../support/built-cli.js';
import {startMoto, type Moto} from '../support/moto.js';
import {motoCliEnv, populateMoto, type MotoScenario} from '../support/moto-scenario.js';
import {skipWithout} from '../support/peers.js';
import {TmuxSession} from './tmux-session.js';

describe.skipIf(skipWithout('tmux', 'moto', 'boto3'))('sgtui against moto in a terminal', {timeout: 120_000}, () => {
	let moto: Moto | undefined;
	let seeded: MotoScenario;
	let session: TmuxSession | undefined;

	beforeAll(async () => {
		builtCli();
		moto = await startMoto({maxAttempts: 1});
		seeded = populateMoto(moto.endpoint);
	}, 300_000);
	afterAll(() => {
		session?.kill();
		moto?.stop();
	});

	it('lists every interface, polls the bastion’s REJECTs from its `-all` stream, and names the missing Live Tail', async () => {
		const env = motoCliEnv(moto!.endpoint);
		// `env -i`: tmux's server has this process's environment, and none of this machine's AWS
		// settings may reach the UI; AWS_ENDPOINT_URL alone names where it reads (no --endpoint-url).
		const kept = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && /^(HOME|XDG_|AWS_|PATH|LANG)/.test(entry[0]));
		const command = shellCommand(['env', '-i', 'TERM=xterm-256color', ...kept.map(([key, value]) => `${key}=${value}`), process.execPath, builtCli(), '--no-probe']);
		session = new TmuxSession('moto');
		session.start(command, {columns: 120, rows: 40}, {});
		const inventory = await session.waitFor('web-1', 30_000);
		// The header names the endpoint from the environment, as it does one given with --endpoint-url.
		expect(inventory).toContain(`aws ${moto!.endpoint}`);
		expect(inventory).toMatch(/Network interfaces 1–\d+ of \d+/);
		expect(inventory).toContain(seeded.enis.detached);

		session.send('/');
		session.type('bastion');
		session.send('Enter');
		await session.waitFor((screen) => screen.includes('/bastion') && !screen.includes('web-1'));
		session.send('Enter');
		await session.waitFor(`Security group ${seeded.groups.bastion} bastion`);
		session.send('3');
		const rejects = await session.waitFor(/2 REJECT[\s\S]*198\.51\.100\.41/, 30_000);
		expect(rejects).toContain('polling FilterLogEvents');
		expect(rejects).toMatch(/polling because this endpoint does not implement StartLiveTail/);
		expect(rejects).toMatch(/reply\s+198\.51\.100\.23\s+22 tcp/);
		session.send('q');
	});
});
