// A check result made safe for a terminal: every string through the display sanitizer, except
// that fix commands keep their line breaks (several commands are separate lines to copy) — each
// line is sanitized on its own.
import type {CheckResult} from './check-types.js';
import {display, displayCopy} from './display-text.js';

export function displayCheckResult(result: CheckResult): CheckResult {
	const bare: CheckResult = {...result, problems: result.problems.map((problem) => ({...problem, fix: {...problem.fix, command: undefined}}))};
	const safe = displayCopy(bare);
	safe.problems.forEach((problem, index) => {
		const command = result.problems[index]!.fix.command;
		if (command) problem.fix.command = command.split('\n').map(display).join('\n');
		else delete problem.fix.command;
	});
	return safe;
}
