// Reads the README's examples so a test can run them: every fenced block whose first line is a
// `$ ` prompt is an example; each `$ ` line (with `\` continuations) is a command and the lines up
// to the next prompt are the output it must print. An HTML comment on the line before the fence
// says how to run a block: `<!-- doctest: lab -->` (needs the lab that an earlier
// `<!-- doctest: server -->` block started), `<!-- doctest: skip: why -->`. A line `...` in an
// expected output stands for any number of lines.

export type BlockMode = 'run' | 'lab' | 'server' | 'skip';

export interface DocCommand {
	/** 1-based line of the `$ ` prompt in the README. */
	line: number;
	command: string;
	expected: string[];
}

export interface DocBlock {
	line: number;
	mode: BlockMode;
	reason: string | null;
	commands: DocCommand[];
}

const ANNOTATION = /^<!--\s*doctest:\s*(run|lab|server|skip)\s*(?::\s*(.*?))?\s*-->$/;

export function parseReadmeExamples(markdown: string): DocBlock[] {
	const lines = markdown.split('\n');
	const blocks: DocBlock[] = [];
	for (let index = 0; index < lines.length; index++) {
		const fence = /^```(\w*)\s*$/.exec(lines[index] ?? '');
		if (!fence) continue;
		const end = lines.findIndex((line, at) => at > index && line.startsWith('```'));
		if (end < 0) break;
		const body = lines.slice(index + 1, end);
		const fenceLine = index;
		index = end;
		if (!['', 'console', 'sh'].includes(fence[1] ?? '') || !body[0]?.startsWith('$ ')) continue;

		let previous = fenceLine - 1;
		while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
		const annotation = ANNOTATION.exec((lines[previous] ?? '').trim());
		const mode = (annotation?.[1] as BlockMode | undefined) ?? 'run';
		blocks.push({line: fenceLine + 1, mode, reason: annotation?.[2] ?? null, commands: splitCommands(body, fenceLine + 2)});
	}
	return blocks;
}

function splitCommands(body: string[], firstLine: number): DocCommand[] {
	const commands: DocCommand[] = [];
	for (let at = 0; at < body.length; at++) {
		const text = body[at] ?? '';
		if (!text.startsWith('$ ')) {
			commands.at(-1)?.expected.push(text);
			continue;
		}
		const line = firstLine + at;
		let command = text.slice(2);
		while (command.endsWith('\\') && at + 1 < body.length) command = `${command}\n${body[++at] ?? ''}`;
		commands.push({line, command, expected: []});
	}
	for (const command of commands) {
		while (command.expected.length > 0 && command.expected.at(-1)?.trim() === '') command.expected.pop();
	}
	return commands;
}

/**
 * The whole normalisation between what the README shows and what a run prints: things that
 * differ on every run by nature (free ports, temp directories, host-key fingerprints of a fresh
 * lab, wall-clock times and counts of live records, which the lab's traffic simulator keeps
 * adding). Nothing else is forgiven.
 */
export function normalize(text: string, live: boolean): string {
	let result = text
		.replace(/(127\.0\.0\.1|localhost|\[::1\]):\d{2,5}\b/g, '$1:<port>')
		.replace(/\/tmp\/sgtui-[\w.-]+/g, '<tmp>')
		.replace(/SHA256:[A-Za-z0-9+/]{43}/g, 'SHA256:<fingerprint>')
		.replace(/[ \t]+$/gm, '');
	if (live) {
		result = result
			.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, '<time>')
			.replace(/\b\d\d:\d\d:\d\d( UTC)?\b/g, '<time>$1')
			.replace(/:\d{5}( -> )/g, ':<ephemeral>$1')
			.replace(/(-> [\d.]+):\d{5}\b/g, '$1:<ephemeral>')
			.replace(/\b\d+ ((?:flow|tcp|udp|icmp) record\(s\))/g, '<n> $1')
			// Live tables size their columns to rows that come and go.
			.replace(/ {2,}/g, ' ');
	}
	return result;
}

/** Null when `actual` matches `expected` (with `...` lines as wildcards), else a readable diff. */
export function compareOutput(expected: readonly string[], actual: readonly string[]): string | null {
	const memo = new Map<string, boolean>();
	const match = (e: number, a: number): boolean => {
		const key = `${e},${a}`;
		const known = memo.get(key);
		if (known !== undefined) return known;
		let result: boolean;
		if (e === expected.length) result = a === actual.length;
		else if (expected[e]?.trim() === '...') result = match(e + 1, a) || (a < actual.length && match(e, a + 1));
		else result = a < actual.length && expected[e] === actual[a] && match(e + 1, a + 1);
		memo.set(key, result);
		return result;
	};
	if (match(0, 0)) return null;
	return `expected:\n${expected.map((line) => `  | ${line}`).join('\n')}\nactual:\n${actual.map((line) => `  | ${line}`).join('\n')}`;
}
