// Wizard step 7: write the evidence report (Markdown + JSON) and say where it went.
import {Box, Text} from 'ink';
import {color} from './theme.js';

export type SaveState = {status: 'idle'} | {status: 'saving'} | {status: 'saved'; markdownPath: string; jsonPath: string} | {status: 'error'; message: string};

export function SaveStep({save, baseName, width}: {save: SaveState; baseName: string; width: number}) {
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>Save the evidence</Text>
			<Text wrap="wrap">A report for the ticket or a colleague: target, listeners, rules with the deciding ones, flow records seen, verdict and fix.</Text>
			<Text> </Text>
			{save.status === 'idle' ? <Text wrap="wrap">Press <Text bold color={color.accent}>s</Text> (or enter) to write <Text color={color.accent}>{baseName}.md</Text> and <Text color={color.accent}>.json</Text></Text> : null}
			{save.status === 'saving' ? <Text color={color.muted}>⠿ Writing…</Text> : null}
			{save.status === 'saved' ? (
				<>
					<Text color={color.good}>✓ Saved</Text>
					<Text>  {save.markdownPath}</Text>
					<Text>  {save.jsonPath}</Text>
					<Text> </Text>
					<Text><Text bold color={color.accent}>enter</Text> back to the interface</Text>
					<Text><Text bold color={color.accent}>n    </Text> new check on the same target</Text>
				</>
			) : null}
			{save.status === 'error' ? <Text color={color.bad} wrap="wrap">✗ Could not save: {save.message}</Text> : null}
			<Text> </Text>
			{save.status === 'saved' ? null : <Text color={color.muted} wrap="wrap">esc goes back through the steps · : for commands · q quits</Text>}
		</Box>
	);
}
