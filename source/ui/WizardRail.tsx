// The wizard's summary rail: every step with what it concluded, the current one highlighted. Its
// width follows its content (a long "name (eni-…)" or verdict widens it, within limits).
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {WIZARD_STEPS} from './wizard-state.js';
import {color, toneColor} from './theme.js';
import {truncate, truncateWords, wrapWords} from './format.js';
import type {RailFinding} from './wizard-findings.js';

const INDENT = 3;
/** Border and padding around the text. */
const CHROME = 2;

/** The width the rail wants: its longest line, at least 22 columns and at most 40% of the screen. */
export function railWidth(findings: ReadonlyArray<RailFinding | null>, screenWidth: number): number {
	const most = Math.floor(screenWidth * 0.4);
	const longest = Math.max(
		...WIZARD_STEPS.map((title) => stringWidth(title) + 3),
		...findings.map((finding) => (finding ? stringWidth(fitting(finding, most - INDENT - CHROME)) + INDENT : 0)),
	);
	return Math.max(22, Math.min(longest + CHROME, most));
}

function fitting(finding: RailFinding, room: number): string {
	return stringWidth(finding.text) > room && finding.short ? finding.short : finding.text;
}

/** Cut between words; a lone word too long for the rail (an id) keeps its start. */
function oneLine(text: string, room: number): string {
	const cut = truncateWords(text, room);
	return cut === '…' ? truncate(text, room) : cut;
}

/** Which findings get rows to wrap first when the rail is short of them: the verdict, then why. */
const WRAP_ORDER = [5, 3, 4, 2, 0, 1, 6];

/**
 * Each finding's lines: whole on one line when it fits; else wrapped between words (never
 * inside an id) when the rail has rows to spare below its steps, the verdict and the blocking
 * layers first; else its short form, else cut between words.
 */
export function railLines(findings: ReadonlyArray<RailFinding | null>, room: number, spareRows: number): string[][] {
	const lines = findings.map((finding) => (finding ? [oneLine(fitting(finding, room), room)] : []));
	let spare = spareRows;
	for (const index of WRAP_ORDER) {
		const finding = findings[index];
		if (!finding || stringWidth(finding.text) <= room) continue;
		const wrapped = wrapWords(finding.text, room);
		if (wrapped && wrapped.length - 1 <= spare) {
			lines[index] = wrapped;
			spare -= wrapped.length - 1;
		}
	}
	return lines;
}

export function WizardRail({step, findings, width, height}: {step: number; findings: ReadonlyArray<RailFinding | null>; width: number; height: number}) {
	const room = Math.max(1, width - INDENT - CHROME);
	// The title, then two rows a step: its name and its finding's first line.
	const lines = railLines(findings, room, height - 1 - WIZARD_STEPS.length * 2);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={color.muted} borderTop={false} borderBottom={false} borderLeft={false} paddingRight={1}>
			<Text bold color={color.accent}>Triage</Text>
			{WIZARD_STEPS.map((title, index) => {
				const current = index === step;
				const finding = findings[index] ?? null;
				const shown = lines[index] ?? [];
				return (
					<Box key={title} flexDirection="column">
						<Text bold={current} color={current ? color.accent : index < step ? undefined : color.muted} wrap="truncate">
							{current ? '▸' : ' '}{index + 1} {title}
						</Text>
						{finding ? shown.map((line, row) => (
							<Text key={row} color={toneColor(finding.tone)} wrap="truncate">{' '.repeat(INDENT)}{line}</Text>
						)) : <Text color={color.muted}>{' '.repeat(INDENT)}{index < step ? '—' : ' '}</Text>}
					</Box>
				);
			})}
		</Box>
	);
}
