// The output of sgtui's Run Command probe script, split back into its sections. The script
// prints `--- sgtui: <name>` before each part and `--- sgtui: end` last; Run Command returns only
// the first 24,000 characters of stdout (GetCommandInvocation's StandardOutputContent, "the first
// 24,000 characters written by the plugin to stdout"), and the SSM agent ends a cut output with
// "\n---Output truncated---". Either sign means the listing is incomplete: it must be said, never
// silently treated as "nothing else listens".

export const SSM_OUTPUT_LIMIT = 24_000;
export const SSM_TRUNCATION_MARK = '---Output truncated---';

export interface SsmSections {
	/** Section name → its text (lines between its marker and the next). */
	sections: Map<string, string>;
	/** The end marker was seen: the whole script ran and its output arrived whole. */
	complete: boolean;
	/** The output was cut: the agent's truncation mark, or no end marker at the size limit. */
	truncated: boolean;
	/** Characters of output received. */
	length: number;
}

export function splitSsmSections(stdout: string, prefix: string, endName: string): SsmSections {
	const sections = new Map<string, string>();
	let current: string | null = null;
	let lines: string[] = [];
	let complete = false;
	const flush = () => {
		if (current !== null) sections.set(current, lines.join('\n'));
	};
	for (const raw of stdout.split('\n')) {
		const line = raw.replace(/\r$/, '');
		if (line.startsWith(prefix)) {
			flush();
			current = line.slice(prefix.length).trim();
			lines = [];
			if (current === endName) {
				complete = true;
				current = null;
			}
			continue;
		}
		if (current !== null) lines.push(line);
	}
	flush();
	const marked = stdout.trimEnd().endsWith(SSM_TRUNCATION_MARK);
	const atLimit = stdout.length >= SSM_OUTPUT_LIMIT - 100;
	const truncated = marked || (!complete && atLimit);
	if (marked) {
		// The mark is not part of the last section's text.
		for (const [name, text] of sections) {
			if (text.trimEnd().endsWith(SSM_TRUNCATION_MARK)) sections.set(name, text.trimEnd().slice(0, -SSM_TRUNCATION_MARK.length).replace(/\n$/, ''));
		}
	}
	return {sections, complete: complete && !marked, truncated, length: stdout.length};
}
