import {readFileSync, existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {Key} from 'ink';
import {BINDINGS, KEY_TABLE_END, KEY_TABLE_START, commandFor, keyName, keyTableMarkdown} from '../../source/ui/key-bindings.js';

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

describe('key bindings data', () => {
	it('never binds one key to two commands in the same scope', () => {
		const seen = new Map<string, string>();
		for (const binding of BINDINGS) {
			for (const key of binding.keys) {
				const id = `${binding.scope} ${key}`;
				expect(seen.get(id), `${id} bound to ${seen.get(id)} and ${binding.command}`).toBeUndefined();
				seen.set(id, binding.command);
			}
		}
	});

	it('names key presses the way the bindings spell them', () => {
		expect(keyName('', {...noKey, upArrow: true})).toBe('up');
		expect(keyName('', {...noKey, tab: true, shift: true})).toBe('shift+tab');
		expect(keyName('', {...noKey, escape: true})).toBe('esc');
		expect(keyName('f', {...noKey, ctrl: true})).toBe('ctrl+f');
		expect(keyName('G', {...noKey, shift: true})).toBe('G');
		expect(commandFor('j', ['list'])).toBe('list.down');
		expect(commandFor('q', ['filter', 'global'])).toBe('app.quit');
		expect(commandFor('x', ['list', 'global'])).toBeNull();
	});

	it('generates the Markdown key table from the data', () => {
		const table = keyTableMarkdown();
		for (const binding of BINDINGS) expect(table).toContain(binding.description);
		expect(table).toContain('| `q` `ctrl+c` | Quit |');
	});

	it('README.md carries the generated key table (npm run docs:keys)', () => {
		const readme = existsSync('README.md') ? readFileSync('README.md', 'utf8') : '';
		const start = readme.indexOf(KEY_TABLE_START);
		const end = readme.indexOf(KEY_TABLE_END);
		expect(start, 'README.md lacks the key table markers: run `npm run build && npm run docs:keys`').toBeGreaterThanOrEqual(0);
		expect(readme.slice(start + KEY_TABLE_START.length, end).trim()).toBe(keyTableMarkdown());
	});
});
