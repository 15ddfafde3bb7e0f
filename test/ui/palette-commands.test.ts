import {describe, expect, it} from 'vitest';
import {parsePalette} from '../../source/ui/palette-commands.js';

describe('command palette grammar', () => {
	it('parses commands and aliases', () => {
		expect(parsePalette('eni eni-0abc')).toEqual({ok: true, command: {kind: 'eni', id: 'eni-0abc'}});
		expect(parsePalette(':i i-0abc')).toEqual({ok: true, command: {kind: 'instance', id: 'i-0abc'}});
		expect(parsePalette('sg sg-1')).toEqual({ok: true, command: {kind: 'sg', id: 'sg-1'}});
		expect(parsePalette('wizard')).toEqual({ok: true, command: {kind: 'wizard', target: null}});
		expect(parsePalette('w i-1')).toEqual({ok: true, command: {kind: 'wizard', target: 'i-1'}});
		expect(parsePalette('q')).toEqual({ok: true, command: {kind: 'quit'}});
		expect(parsePalette('audit')).toEqual({ok: true, command: {kind: 'audit'}});
	});

	it('explains what is wrong in one line', () => {
		expect(parsePalette('eni')).toEqual({ok: false, error: 'missing argument: eni <eni-id>'});
		expect(parsePalette('audit now')).toEqual({ok: false, error: 'audit takes no argument'});
		const unknown = parsePalette('frobnicate');
		expect(unknown.ok).toBe(false);
		expect(!unknown.ok && unknown.error).toMatch(/^unknown command "frobnicate"/);
		expect(parsePalette('')).toMatchObject({ok: false});
	});
});
