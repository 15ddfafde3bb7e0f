// The wizard's summary rail: every step with what it concluded, the current one highlighted. Its
// width follows its content (a long "name (eni-…)" or verdict widens it, within limits).
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {WIZARD_STEPS} from './wizard-state.js';
import {color, toneColor} from './theme.js';
import {truncate} from './format.js';
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

export function WizardRail({step, findings, width, height}: {step: number; findings: ReadonlyArray<RailFinding | null>; width: number; height: number}) {
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={color.muted} borderTop={false} borderBottom={false} borderLeft={false} paddingRight={1}>
			<Text bold color={color.accent}>Triage</Text>
			{WIZARD_STEPS.map((title, index) => {
				const current = index === step;
				const finding = findings[index] ?? null;
				return (
					<Box key={title} flexDirection="column">
						<Text bold={current} color={current ? color.accent : index < step ? undefined : color.muted} wrap="truncate">
							{current ? '▸' : ' '}{index + 1} {title}
						</Text>
						<Text color={finding ? toneColor(finding.tone) : color.muted} wrap="truncate">
							{' '.repeat(INDENT)}{finding ? truncate(fitting(finding, width - INDENT - CHROME), width - INDENT - CHROME) : index < step ? '—' : ' '}
						</Text>
					</Box>
				);
			})}
		</Box>
	);
}
