// What wizard step 6 keeps on a short panel. The verdict and every fix command come first: at
// 80×24 the bastion's verdict showed the first of its command's seven lines and nothing after,
// an incomplete command with no sign of it. Prose the other steps and the copy view already hold
// gives way first, whole blocks at a time; if the commands still do not fit, the step says so.
import {shellLines} from './shell-lines.js';
import {wrappedRows} from './format.js';
import {verdictText} from './verdict-text.js';
import type {CheckResult} from './services.js';

export interface VerdictLayout {
	explanation: boolean;
	/** The flow-log lines under the verdict. */
	observed: boolean;
	deciding: boolean;
	fixSummary: boolean;
	unknowns: boolean;
	/** Even the commands do not fit: the last row says so. */
	cut: boolean;
}

/** The command's lines as the step draws them (one row each). */
export function commandLines(command: string | null | undefined, width: number): string[] {
	return command ? command.split('\n').flatMap((line) => shellLines(line, width)) : [];
}

export function observedLines(result: CheckResult): string[] {
	return [
		...result.observed.findings.map((line) => `flow logs: ${line}`),
		...(!result.observed.available && result.observed.note ? [`flow logs: ${result.observed.note}`] : []),
	];
}

export function verdictLayout(result: CheckResult, width: number, height: number): VerdictLayout {
	const verdict = verdictText(result.verdict);
	const rows = (text: string, at = width) => wrappedRows(text, at);
	const indented = width - 3;
	const observed = observedLines(result);
	const blocks = {
		explanation: rows(verdict.explanation),
		observed: observed.length ? 1 + observed.reduce((total, line) => total + rows(line), 0) : 0,
		deciding: result.problems.reduce((total, problem) => total + (problem.decidingRule ? rows(`deciding rule: ${problem.decidingRule.text}`, indented) : 0), 0),
		fixSummary: result.problems.reduce((total, problem) => total + rows(`fix: ${problem.fix.summary}`, indented) + (problem.fix.warning ? rows(`! ${problem.fix.warning}`, indented) : 0), 0),
		unknowns: result.unknowns.length ? 1 + result.unknowns.reduce((total, line) => total + rows(`? ${line}`), 0) : 0,
	};
	const essential = rows(`x ${verdict.title}`) + result.problems.reduce((total, problem, index) => total + 1 + rows(`${index + 1}. ${problem.summary}`) + commandLines(problem.fix.command, width).length, 0);
	const layout: VerdictLayout = {explanation: true, observed: true, deciding: true, fixSummary: true, unknowns: true, cut: false};
	const used = () => essential + (Object.keys(blocks) as Array<keyof typeof blocks>).reduce((total, block) => total + (layout[block] ? blocks[block] : 0), 0);
	// Least needed first: the layers step said why, the copy view has the fix's summary.
	for (const block of ['explanation', 'observed', 'deciding', 'fixSummary', 'unknowns'] as const) {
		if (used() <= height) return layout;
		layout[block] = false;
	}
	layout.cut = used() > height;
	return layout;
}
