// Benchmark 6: typing and pasting in the wizard, in a pty. A 3,000-character paste into the
// client-address field (one write, as a terminal delivers a paste): time until the UI has drawn
// its answer and gone quiet, and the RSS before and after. Then 400 keys from a seeded generator
// (digits, dots, backspace) typed into the same field one after another: key → next frame.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PtyApp, seeded, sleep} from './lib/pty.mjs';
import {rssOf} from './lib/proc.mjs';
import {quantile, row} from './lib/stats.mjs';

const DOWN = '\u001B[B';
const BACKSPACE = '\u007F';

/** 3,000 characters of something a user might paste by mistake: a chunk of a log. */
function pasteText(length = 3000) {
	const next = seeded(7);
	let text = '';
	while (text.length < length) text += `2 123456789010 eni-0f1e2d3c4b5a69788 198.51.100.${Math.floor(next() * 250)} 10.0.1.${Math.floor(next() * 250)} ${40000 + Math.floor(next() * 20000)} 8443 6 1 40 REJECT OK `;
	return text.slice(0, length);
}

export async function run(ctx) {
	const rows = [];
	const failures = [];
	const notes = [];
	const home = mkdtempSync(join(tmpdir(), 'sgtui-bench-home-'));
	const app = new PtyApp([process.execPath, join(ctx.root, 'dist/cli/sgtui.js'), '--snapshot', join(ctx.root, 'demo/snapshot')], {env: {HOME: home, XDG_STATE_HOME: home}});
	try {
		await app.waitFor('Network interfaces', 60_000);
		await app.settle();
		app.mark();
		app.send('w');
		await app.waitFor('What fails?', 10_000);
		app.send(DOWN);
		await sleep(100);
		app.send(DOWN);
		await app.settle();
		const pid = app.pid();

		// Paste, several times (refused whole with a message past the field's 64 characters; the field is the same after).
		const paste = pasteText();
		const pasteMs = [];
		const rssBefore = rssOf(pid);
		let rssAfter = rssBefore;
		for (let run = 0; run < ctx.runs; run++) {
			// An edit clears the previous paste's message, so each paste draws something new.
			app.send('1');
			await app.settle(150);
			app.send(BACKSPACE);
			await app.settle(150);
			app.mark();
			const sent = app.send(paste);
			const last = await app.settle(300);
			pasteMs.push(Math.max(0, last - sent));
			rssAfter = rssOf(pid);
			ctx.sample('paste')('ms / RSS MB', `${(last - sent).toFixed(1)} / ${(rssAfter / 2 ** 20).toFixed(0)}`);
		}
		const growth = (rssAfter - rssBefore) / 2 ** 20;
		const pasteRow = row({what: '6. paste 3,000 characters into the wizard\'s client field: until the frame settles', samples: pasteMs, unit: 'ms', budget: {text: '< 50 ms', holds: Math.max(...pasteMs) < 50}});
		pasteRow.holds = pasteRow.ok ? 'yes' : `**no** (max ${Math.max(...pasteMs).toFixed(0)} ms)`;
		rows.push(pasteRow);
		const rssRow = row({what: `6. RSS growth over ${ctx.runs} pastes`, samples: [growth], unit: 'MB', budget: {text: '≤ 5 MB (no growth)', holds: growth <= 5}});
		rssRow.median = `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`;
		rssRow.range = `${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MB`;
		rows.push(rssRow);

		// 400 keys, one after another.
		const next = seeded(13);
		const alphabet = '0123456789.';
		let length = 0;
		const keyMs = [];
		let missed = 0;
		for (let index = 0; index < 400; index++) {
			const erase = length > 0 && (length >= 24 || next() < 0.3);
			const key = erase ? BACKSPACE : alphabet[Math.floor(next() * alphabet.length)];
			const frame = app.nextOutput(2000);
			const sent = app.send(key);
			try {
				keyMs.push((await frame) - sent);
			} catch {
				missed++;
				keyMs.push(2000);
			}
			length += erase ? -1 : 1;
			// ~25 keys a second, and past ink's 30 fps throttle so each key gets its own frame.
			await sleep(40);
		}
		const p50 = quantile(keyMs, 0.5);
		const p99 = quantile(keyMs, 0.99);
		const keysRow = row({what: '6. 400 seeded keys (digits, dots, backspace) in the client field: key → frame, p50', samples: keyMs, unit: 'ms'});
		keysRow.median = `p50 ${p50.toFixed(1)} ms`;
		keysRow.n = 400;
		keysRow.budget = 'p99 < 50 ms';
		keysRow.ok = p99 < 50 && missed === 0;
		keysRow.holds = `${keysRow.ok ? 'yes' : '**no**'} (p99 ${p99.toFixed(1)} ms${missed ? `, ${missed} keys without a frame in 2 s` : ''})`;
		rows.push(keysRow);
		notes.push('The paste is one 3,000-byte write to the pty, as a terminal without bracketed paste delivers it; "until the frame settles" is the last output before 300 ms of quiet.');
	} finally {
		await app.close();
		rmSync(home, {recursive: true, force: true});
	}
	return {rows, failures, notes};
}
