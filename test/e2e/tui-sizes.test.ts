// `sgtui --demo` in tmux at the smallest supported size and a wide one: on every screen from the
// inventory to the wizard's verdict, no line is cut inside an address, port, id or command.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {builtCli} from '../support/built-cli.js';
import {skipWithout} from '../support/peers.js';
import {startDemoSession} from './demo-session.js';
import {cutTokens} from '../support/cut-tokens.js';


describe.skipIf(skipWithout('tmux'))('sgtui --demo at 80×24 and 200×60', () => {
	const closes: Array<() => void> = [];
	// A stale dist/ means one build for the run: do it here, not inside the first test's timeout.
	beforeAll(() => void builtCli(), 300_000);
	afterAll(() => closes.forEach((close) => close()));

	for (const [columns, rows] of [[80, 24], [200, 60]] as const) {
		it(`cuts no address, port, id or command at ${columns}×${rows}`, async () => {
			const {session, close} = await startDemoSession(`size${columns}`, {columns, rows}, 60_000);
			closes.push(close);
			const screens = [session.screen()];
			session.send(':');
			// The palette first: ':' and the command arriving in one read would be one paste into the screen under it.
			await session.waitFor('eni <eni-id>');
			session.type('eni eni-0f1e2d3c4b5a69788');
			session.send('Enter');
			screens.push(await session.waitFor('Security group'));
			session.send('2');
			screens.push(await session.waitFor('LISTENING ON', 30_000));
			session.send('3');
			screens.push(await session.waitFor(/[1-9]\d* REJECT/, 30_000));
			session.send(':');
			// The palette first: ':' and the command arriving in one read would be one paste into the screen under it.
			await session.waitFor('eni <eni-id>');
			session.type('wizard i-0a1b2c3d4e5f60718');
			session.send('Enter');
			await session.waitFor('What fails?');
			session.type('8443');
			session.send('Down', 'Down');
			session.type('198.51.100.23');
			session.send('Enter');
			await session.waitFor('Is anything listening', 30_000);
			session.send('Enter');
			await session.waitFor('The path, layer by layer', 30_000);
			session.send('Enter');
			await session.waitFor('Now try the connection');
			session.send('Enter');
			screens.push(await session.waitFor('Blocked by the security groups', 30_000));
			for (const screen of screens) expect(cutTokens(screen), screen).toEqual([]);
		}, 180_000);
	}
});
