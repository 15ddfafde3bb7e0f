// The rows the SSH prompt overlay reserves (promptHeight) against the rows ink draws for it: the
// screen above gives up exactly that many, so a disagreement pushes the frame past the terminal.
import fc from 'fast-check';
import {renderToString} from 'ink';
import {describe, expect, it} from 'vitest';
import {PromptOverlay, promptHeight} from '../../source/ui/PromptOverlay.js';
import {KeyDispatcherProvider} from '../../source/ui/key-dispatcher.js';
import type {PendingPrompt} from '../../source/ui/app-context.js';

function drawnRows(prompt: PendingPrompt, width: number): number {
	const out = renderToString(<KeyDispatcherProvider><PromptOverlay prompt={prompt} width={width} /></KeyDispatcherProvider>, {columns: width});
	return out.replace(/\n+$/, '').split('\n').length;
}

const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,24}$/);
/** Paths as users have them: deep, with long names, sometimes with spaces ("Jane Operator"). */
const filePath = fc.array(fc.oneof(segment, fc.tuple(segment, segment).map(([a, b]) => `${a} ${b}`)), {minLength: 1, maxLength: 8}).map((parts) => `/${parts.join('/')}`);
const host = fc.oneof(fc.constant('[127.0.0.1]:40069'), fc.stringMatching(/^[a-z0-9.-]{1,90}$/));
const prompt: fc.Arbitrary<PendingPrompt> = fc.oneof(
	filePath.map((keyPath) => ({kind: 'passphrase' as const, keyPath, resolve: () => {}})),
	fc.tuple(host, filePath).map(([name, file]) => ({kind: 'hostKey' as const, host: name, keyType: 'ssh-ed25519', fingerprint: `SHA256:${'A'.repeat(43)}`, knownHostsFile: file, resolve: () => {}})),
	fc.tuple(segment, host).map(([target, address]) => ({kind: 'dial' as const, target, address, resolve: () => {}})),
);

describe('promptHeight', () => {
	it('is the height ink draws the overlay at, for long key paths, hosts and files', () => {
		fc.assert(fc.property(prompt, fc.integer({min: 80, max: 160}), (given, width) => {
			expect(promptHeight(given, width)).toBe(drawnRows(given, width));
		}), {numRuns: 150});
	});

	it('a key path that wraps by words takes the row counting characters misses', () => {
		const keyPath = `/home/Jane Operator/${'keys-production-bastion-'.repeat(2)}eu-west-1-rotated/ keys/id_ed25519`;
		const given: PendingPrompt = {kind: 'passphrase', keyPath, resolve: () => {}};
		const title = `Passphrase for ${keyPath}`;
		// Counting characters says two rows of 76; the words need three.
		expect(Math.ceil(title.length / 76)).toBe(2);
		expect(drawnRows(given, 80)).toBe(2 + 3 + 2);
		expect(promptHeight(given, 80)).toBe(drawnRows(given, 80));
	});
});
