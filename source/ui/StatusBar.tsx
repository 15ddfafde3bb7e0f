// The bottom line: the keys that matter here (from the bindings table) or a transient message.
import {Box, Text} from 'ink';
import {BINDINGS, type Binding, type CommandId} from './key-bindings.js';
import {color} from './theme.js';

export interface StatusBarProps {
	/** Commands to hint, in order; the first key of each is shown. */
	commands: CommandId[];
	width: number;
	/** Right-aligned status (stream state, counts). */
	right?: string;
}

export function hintText(commands: readonly CommandId[]): Array<{key: string; label: string}> {
	return commands.flatMap((command) => {
		const binding: Binding | undefined = BINDINGS.find((candidate) => candidate.command === command);
		if (!binding) return [];
		return [{key: command === 'list.down' ? 'j/k' : binding.keys[0] ?? '?', label: binding.hint ?? shortLabel(binding.description)}];
	});
}

function shortLabel(description: string): string {
	return (description.split(/[ (/]/)[0] ?? description).toLowerCase();
}

export function StatusBar({commands, width, right}: StatusBarProps) {
	const hints = hintText(commands);
	return (
		<Box width={width} height={1}>
			<Box flexGrow={1} overflow="hidden">
				<Text wrap="truncate">
					{hints.map((hint, index) => (
						<Text key={hint.key + index}>
							<Text color={color.accent} bold>{hint.key}</Text>
							<Text color={color.muted}> {hint.label}{index < hints.length - 1 ? '  ' : ''}</Text>
						</Text>
					))}
				</Text>
			</Box>
			{right ? <Text color={color.muted}> {right}</Text> : null}
		</Box>
	);
}
