// Printed commands are pasted into a shell (and copied with the TUI's `y`), so every argument in
// them is quoted, whatever it holds — ids are checked against AWS's grammar where they enter, and
// are quoted anyway. POSIX sh: single quotes make every character literal except the single quote
// itself, which is closed, escaped and reopened (`'\''`).
// https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02_02
// Only the POSIX form is printed: the fixes run on the operator's workstation (Linux, macOS, WSL,
// Git Bash, CloudShell), never on the Windows host, and every command sgtui sends to a Windows host
// is a fixed string with no data in it.

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
