// The one output boundary of the sgtui process: every byte written to stdout or stderr — by a
// command, commander, ink's renderer, or a library's console.* — passes guardTerminalText first.
// Installed once, first thing in main.ts; nothing in source/ writes to fd 1/2 another way
// (test/core/output-boundary.test.ts checks that).
import {guardTerminalText} from '../core/display-text.js';

const installed = new WeakSet<NodeJS.WriteStream>();


/**
 * Printable ASCII, newline, carriage return and tab only: bytes the guard passes unchanged, so
 * they skip the decode and re-encode (flows --json writes hundreds of MB this way).
 */
function plainAscii(bytes: Uint8Array): boolean {
	for (let index = 0; index < bytes.length; index++) {
		const byte = bytes[index]!;
		if (byte >= 0x7f || (byte < 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09)) return false;
	}
	return true;
}

/** Wraps `stream.write` so text through it cannot drive the terminal. Idempotent. */
export function guardStream(stream: NodeJS.WriteStream): void {
	if (installed.has(stream)) return;
	installed.add(stream);
	const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
	const guarded = (chunk: unknown, ...rest: unknown[]): boolean => {
		if (typeof chunk === 'string') return original(guardTerminalText(chunk), ...rest);
		if (chunk instanceof Uint8Array) return original(plainAscii(chunk) ? chunk : guardTerminalText(Buffer.from(chunk).toString('utf8')), ...rest);
		return original(chunk, ...rest);
	};
	stream.write = guarded;
}

export function installTerminalGuard(): void {
	guardStream(process.stdout);
	guardStream(process.stderr);
}
