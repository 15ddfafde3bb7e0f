#!/usr/bin/env node
// `npm run screenshots`: runs `sgtui --demo` in tmux, walks through the main screens, captures
// each with its colours (tmux capture-pane -e), turns the ANSI into HTML (ansi-to-html) and the
// HTML into a PNG with Debian's headless chromium. Writes screenshots/<name>.png.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Convert from 'ansi-to-html';
import {installNetworkGuard} from '../test/support/network-guard.mjs';

// The demo dials loopback only (the lab and its SSH hosts): the guard holds this script and, through
// NODE_OPTIONS (handed to tmux below), the sgtui it runs.
installNetworkGuard();

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.join(root, 'screenshots');
// Every screen at the smallest supported size, a common one and a wide one (issue 11): a cut
// address or a contradiction shows at one of them if anywhere.
const SIZES = [[80, 24], [120, 40], [160, 45]];
let COLUMNS = 100;
let ROWS = 30;
let suffix = '';
let socket = `sgtui-shots-${process.pid}`;
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const send = (...keys) => keys.forEach((key) => tmux('send-keys', '-t', 'shots', key));
const type = (text) => tmux('send-keys', '-t', 'shots', '-l', text);
const screen = (colors = false) => tmux('capture-pane', '-t', 'shots', '-p', ...(colors ? ['-e'] : []));

async function waitFor(text, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const now = screen();
		if (typeof text === 'string' ? now.includes(text) : text.test(now)) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`screenshots: timed out waiting for ${text}; screen:\n${screen()}`);
}

// The palette of a dark terminal theme (close to VS Code's default dark), so colours read well.
const PALETTE = {
	0: '#1e1e1e', 1: '#f14c4c', 2: '#23d18b', 3: '#f5f543', 4: '#3b8eea', 5: '#d670d6', 6: '#29b8db', 7: '#cccccc',
	8: '#808080', 9: '#f14c4c', 10: '#23d18b', 11: '#f5f543', 12: '#3b8eea', 13: '#d670d6', 14: '#29b8db', 15: '#ffffff',
};

function toHtml(ansi, title) {
	// stream: tmux sets a colour once and lets it run across lines, so the state carries over.
	const convert = new Convert({fg: '#cccccc', bg: '#1e1e1e', colors: PALETTE, escapeXML: true, newline: false, stream: true});
	const lines = ansi.replace(/\n$/, '').split('\n').slice(0, ROWS);
	const body = lines.map((line) => `<div class="row">${convert.toHtml(line) || ' '}</div>`).join('');
	return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>
html,body{margin:0;background:#1e1e1e}
.term{padding:14px 16px;font-family:'DejaVu Sans Mono','Liberation Mono',monospace;font-size:14px;line-height:17px;color:#cccccc;white-space:pre}
.row{height:17px}
</style></head><body><div class="term">${body}</div></body></html>`;
}

function shoot(name, title) {
	const ansi = screen(true);
	const dir = mkdtempSync(path.join(os.tmpdir(), 'sgtui-shot-'));
	const html = path.join(dir, `${name}.html`);
	writeFileSync(html, toHtml(ansi, title));
	const png = path.join(outDir, `${name}${suffix}.png`);
	const width = Math.ceil(COLUMNS * 8.43) + 34;
	const height = ROWS * 17 + 28;
	const result = spawnSync(chromium, [
		'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${path.join(dir, 'profile')}`,
		// Chromium is outside the Node guard: no name resolves and any request goes to a closed loopback port.
		'--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=socks5://127.0.0.1:9',
		`--screenshot=${png}`, `--window-size=${width},${height}`, `file://${html}`,
	], {encoding: 'utf8', timeout: 60_000});
	rmSync(dir, {recursive: true, force: true});
	if (result.status !== 0) throw new Error(`screenshots: chromium failed for ${name}: ${result.stderr || result.error}`);
	console.log(`screenshots: ${path.relative(root, png)}`);
}

mkdirSync(outDir, {recursive: true});
for (const [columns, rows] of SIZES) {
	COLUMNS = columns;
	ROWS = rows;
	suffix = `-${columns}x${rows}`;
	socket = `sgtui-shots-${process.pid}-${columns}`;
	await walk();
}

async function walk() {
const state = mkdtempSync(path.join(os.tmpdir(), 'sgtui-shots-state-'));
tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'shots', '-x', String(COLUMNS), '-y', String(ROWS),
	`unset CI; env HOME=${state} XDG_STATE_HOME=${state} TERM=xterm-256color COLORTERM=truecolor NODE_OPTIONS='${process.env.NODE_OPTIONS}' node ${path.join(root, 'dist/cli/main.js')} --demo`);
try {
	await waitFor('win-jump', 90_000);
	// Let the background probes fill in the audit markers.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	shoot('inventory', 'sgtui — inventory');

	send('?');
	await waitFor('Everywhere');
	shoot('help', 'sgtui — help');
	send('Escape');

	send('/');
	type('win-jump');
	send('Enter', 'Enter');
	await waitFor('Security group sg-0e11b22c33d44e505');
	send('j');
	await new Promise((resolve) => setTimeout(resolve, 300));
	shoot('eni-rules', 'sgtui — ENI rules');
	// Back to the inventory and clear the filter, so later breadcrumbs don't carry it.
	send('Escape');
	await waitFor('Network interfaces');
	send('/');
	send('Escape');
	await waitFor('1–6 of 6');

	send(':');
	type('eni eni-01a2b3c4d5e6f7081');
	send('Enter');
	await waitFor('app-1 (eni-01a2b3c4d5e6f7081)');
	send('2');
	await waitFor('LISTENING ON');
	shoot('listeners', 'sgtui — listeners × rules');

	send(':');
	type('eni eni-04d5e6f708192a3b4');
	send('Enter');
	await waitFor('win-jump (eni-04d5e6f708192a3b4)');
	send('3');
	await waitFor(/● streaming[\s\S]*[1-9]\d* REJECT/);
	await new Promise((resolve) => setTimeout(resolve, 4000));
	shoot('rejects', 'sgtui — live rejects');

	send(':');
	type('wizard i-0a1b2c3d4e5f60718');
	send('Enter');
	await waitFor('What fails?');
	type('8443');
	send('Down', 'Down');
	type('198.51.100.23');
	send('Enter');
	await waitFor('✓ Listening');
	send('Enter');
	await waitFor('Security groups');
	send('Enter');
	await waitFor(/[1-9]\d* REJECTs? to tcp\/8443/);
	await new Promise((resolve) => setTimeout(resolve, 3000));
	shoot('wizard-reproduce', 'sgtui — triage: reproduce');
	send('Enter');
	await waitFor('Blocked by the security groups');
	shoot('wizard-verdict', 'sgtui — triage verdict');
	send(':');
	type('eni eni-02b3c4d5e6f708192');
	send('Enter');
	await waitFor('db-1 (eni-02b3c4d5e6f708192)');
	send('4');
	await waitFor('FLOW LOG');
	shoot('flow-logs', 'sgtui — flow-log coverage');
	send('q');
} finally {
	spawnSync('tmux', ['-L', socket, 'kill-server']);
	rmSync(state, {recursive: true, force: true});
}
}
