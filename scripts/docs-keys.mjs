#!/usr/bin/env node
// Writes the TUI key table into README.md between the keys markers, generated from the bindings
// data (source/ui/key-bindings.ts, built to dist/). `--check` only verifies it is up to date.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {installNetworkGuard} from '../test/support/network-guard.mjs';

installNetworkGuard();

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const built = path.join(root, 'dist', 'ui', 'key-bindings.js');
if (!existsSync(built)) {
	console.error('docs:keys: dist/ui/key-bindings.js is missing; run `npm run build` first');
	process.exit(2);
}
const {keyTableMarkdown, KEY_TABLE_START, KEY_TABLE_END} = await import(pathToFileURL(built).href);
const readme = path.join(root, 'README.md');
const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
const start = text.indexOf(KEY_TABLE_START);
const end = text.indexOf(KEY_TABLE_END);
const block = `${KEY_TABLE_START}\n${keyTableMarkdown()}\n${KEY_TABLE_END}`;
if (start === -1 || end === -1 || end < start) {
	console.error(`docs:keys: README.md has no "${KEY_TABLE_START}" … "${KEY_TABLE_END}" markers; paste this block where the key table belongs:\n`);
	console.log(block);
	process.exit(1);
}
const updated = text.slice(0, start) + block + text.slice(end + KEY_TABLE_END.length);
if (process.argv.includes('--check')) {
	if (updated !== text) {
		console.error('docs:keys: README.md key table is out of date; run `npm run docs:keys`');
		process.exit(1);
	}
	console.log('docs:keys: README.md key table is up to date');
} else if (updated !== text) {
	writeFileSync(readme, updated);
	console.log('docs:keys: README.md key table updated');
} else {
	console.log('docs:keys: README.md key table already up to date');
}
