// Wizard step 6: the verdict and the narrowest fix for every layer that stops the traffic, as
// commands printed on their own lines so they can be copied (never a 0.0.0.0/0 rule unless the
// source really is the whole internet — then with the engine's warning).
import {Box, Text} from 'ink';
import {shellLines} from './shell-lines.js';
import {verdictText} from './verdict-text.js';
import {color, toneColor, toneSymbol} from './theme.js';
import type {CheckResult} from './services.js';

export function VerdictStep({result, width, height, copied = false}: {result: CheckResult; width: number; height: number; copied?: boolean}) {
	const verdict = verdictText(result.verdict);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Box flexShrink={0}><Text bold color={toneColor(verdict.tone)}>{toneSymbol(verdict.tone)} {verdict.title}</Text></Box>
			<Box flexShrink={0}><Text wrap="wrap">{verdict.explanation}</Text></Box>
			{result.problems.map((problem, index) => (
				<Box key={index} flexDirection="column" marginTop={1} flexShrink={0}>
					<Text bold color={color.bad} wrap="wrap">{index + 1}. {problem.summary}</Text>
					<Box flexDirection="column" paddingLeft={3}>
						{problem.decidingRule ? <Text color={color.muted} wrap="wrap">deciding rule: {problem.decidingRule.text}</Text> : null}
						<Text wrap="wrap">fix: {problem.fix.summary}</Text>
						{problem.fix.warning ? <Text color={color.warn} wrap="wrap">! {problem.fix.warning}</Text> : null}
					</Box>
					{/* Broken between words with shell continuations: no line wraps inside an address (shell-lines.ts). */}
					{problem.fix.command ? problem.fix.command.split('\n').flatMap((command) => shellLines(command, width)).map((line, row) => <Text key={row} color={color.accent} wrap="truncate">{line}</Text>) : null}
				</Box>
			))}
			{copied ? <Text color={color.good} wrap="truncate">✓ fix copied (v shows it whole, f writes it to a file)</Text> : null}
			{result.unknowns.length ? (
				<Box flexDirection="column" marginTop={1} flexShrink={0}>
					{result.unknowns.map((line, index) => <Text key={index} color={color.warn} wrap="wrap">? {line}</Text>)}
				</Box>
			) : null}
			<Box flexDirection="column" marginTop={1}>
				{result.observed.findings.map((line, index) => <Text key={index} color={color.muted} wrap="wrap">flow logs: {line}</Text>)}
				{!result.observed.available && result.observed.note ? <Text color={color.muted} wrap="wrap">flow logs: {result.observed.note}</Text> : null}
			</Box>
		</Box>
	);
}
