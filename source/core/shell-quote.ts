// Printed commands are pasted into a shell (and copied with the TUI's `y`), so every argument in
// them is quoted, whatever it holds — ids are checked against AWS's grammar where they enter, and
// are quoted anyway. POSIX sh: single quotes make every character literal except the single quote
// itself, which is closed, escaped and reopened (`'\''`). PowerShell: single-quoted strings are
// verbatim except the single quote (and its typographic variants), which is doubled.
// https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02_02
// https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules

/** Characters no POSIX shell gives a meaning to in a word (no glob, expansion, separator). */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(value: string | number): string {
	const text = String(value);
	if (PLAIN.test(text)) return text;
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** One command line from its argv, each word POSIX-quoted. */
export function shellCommand(argv: ReadonlyArray<string | number>): string {
	return argv.map(shellQuote).join(' ');
}

export function powershellQuote(value: string | number): string {
	const text = String(value);
	// No comma (PowerShell's array operator), no @ $ ( { ` (splatting, variables, sub-expressions).
	if (/^[A-Za-z0-9_./:=-]+$/.test(text)) return text;
	return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, (quote) => quote + quote)}'`;
}

/** The same command for PowerShell. */
export function powershellCommand(argv: ReadonlyArray<string | number>): string {
	return argv.map(powershellQuote).join(' ');
}
