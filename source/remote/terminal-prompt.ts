// A no-echo prompt on the controlling terminal, for key passphrases on the CLI. Nothing typed is
// echoed, stored or logged; Ctrl-C or Ctrl-D on an empty line cancels (the key is then skipped).

export interface SecretInput {
	isTTY?: boolean;
	setRawMode?(mode: boolean): unknown;
	setEncoding(encoding: BufferEncoding): unknown;
	on(event: 'data', listener: (chunk: string) => void): unknown;
	off(event: 'data', listener: (chunk: string) => void): unknown;
	resume(): unknown;
	pause(): unknown;
}

/** Resolves null when there is no terminal to ask on, or the user cancels. */
export function promptSecret(question: string, input: SecretInput = process.stdin, output: {write(text: string): unknown} = process.stderr): Promise<string | null> {
	if (!input.isTTY || !input.setRawMode) return Promise.resolve(null);
	output.write(question);
	input.setRawMode(true);
	input.setEncoding('utf8');
	input.resume();
	let value = '';
	return new Promise((resolve) => {
		const finish = (result: string | null) => {
			input.off('data', onData);
			input.setRawMode!(false);
			input.pause();
			output.write('\n');
			resolve(result);
		};
		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n') return finish(value);
				if (char === '\u0003') return finish(null);
				if (char === '\u0004') return finish(value === '' ? null : value);
				if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
				else if (char >= ' ') value += char;
			}
		};
		input.on('data', onData);
	});
}
