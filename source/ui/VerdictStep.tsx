// Wizard step 6: the verdict and the narrowest fix for every layer that stops the traffic, as
// commands printed on their own lines so they can be copied (never a 0.0.0.0/0 rule unless the
// source really is the whole internet — then with the engine's warning). On a short panel the
// prose gives way to the commands (verdict-layout.ts).
import {Box, Text} from 'ink';
import {verdictText} from './verdict-text.js';
import {commandLines, observedLines, verdictLayout} from './verdict-layout.js';
import {color, toneColor, toneSymbol} from './theme.js';
import type {CheckResult} from './services.js';

export function VerdictStep({result, width, height}: {result: CheckResult; width: number; height: number}) {
	const verdict = verdictText(result.verdict);
	const layout = verdictLayout(result, width, height);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Box flexDirection="column" height={layout.cut ? height - 1 : height} overflow="hidden">
				<Box flexShrink={0}><Text bold color={toneColor(verdict.tone)}>{toneSymbol(verdict.tone)} {verdict.title}</Text></Box>
				{layout.explanation ? <Box flexShrink={0}><Text wrap="wrap">{verdict.explanation}</Text></Box> : null}
				{result.problems.map((problem, index) => (
					<Box key={index} flexDirection="column" marginTop={1} flexShrink={0}>
						<Text bold color={color.bad} wrap="wrap">{index + 1}. {problem.summary}</Text>
						<Box flexDirection="column" paddingLeft={3}>
							{layout.deciding && problem.decidingRule ? <Text color={color.muted} wrap="wrap">deciding rule: {problem.decidingRule.text}</Text> : null}
							{layout.fixSummary ? <Text wrap="wrap">fix: {problem.fix.summary}</Text> : null}
							{layout.fixSummary && problem.fix.warning ? <Text color={color.warn} wrap="wrap">! {problem.fix.warning}</Text> : null}
						</Box>
						{/* Broken between words with shell continuations: no line wraps inside an address (shell-lines.ts). */}
						{commandLines(problem.fix.command, width).map((line, row) => <Text key={row} color={color.accent} wrap="truncate">{line}</Text>)}
					</Box>
				))}
				{layout.unknowns && result.unknowns.length ? (
					<Box flexDirection="column" marginTop={1} flexShrink={0}>
						{result.unknowns.map((line, index) => <Text key={index} color={color.warn} wrap="wrap">? {line}</Text>)}
					</Box>
				) : null}
				{layout.observed && observedLines(result).length ? (
					<Box flexDirection="column" marginTop={1}>
						{observedLines(result).map((line, index) => <Text key={index} color={color.muted} wrap="wrap">{line}</Text>)}
					</Box>
				) : null}
			</Box>
			{layout.cut ? <Text color={color.warn} wrap="truncate">↓ more than fits: v shows the fix whole</Text> : null}
		</Box>
	);
}
