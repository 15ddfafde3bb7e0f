// The bottom line: the keys that matter here (from the bindings table) or a transient message.
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
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

/**
 * The hints that fit `width` whole, in order; `?` help is kept (it lists every key), so what is
 * dropped is still one key away, instead of a last hint cut to "esc back…".
 */
export function fittingHints(hints: ReadonlyArray<{key: string; label: string}>, width: number): Array<{key: string; label: string}> {
	const cells = (hint: {key: string; label: string}) => stringWidth(`${hint.key} ${hint.label}`);
	const all = hints.reduce((total, hint, index) => total + cells(hint) + (index ? GAP : 0), 0);
	if (all <= width) return [...hints];
	const help = hints.find((hint) => hint.key === '?');
	let room = width - (help ? cells(help) + GAP : 0);
	const kept: Array<{key: string; label: string}> = [];
	for (const hint of hints) {
		if (hint === help) continue;
		const need = cells(hint) + (kept.length ? GAP : 0);
		if (need > room) break;
		kept.push(hint);
		room -= need;
	}
	return help ? [...kept, help] : kept;
}

const GAP = 2;

export function StatusBar({commands, width, right}: StatusBarProps) {
	const hints = fittingHints(hintText(commands), width - (right ? stringWidth(right) + 1 : 0));
	return (
		<Box width={width} height={1}>
			<Box flexGrow={1} overflow="hidden">
				<Text wrap="truncate">
					{hints.map((hint, index) => (
						<Text key={hint.key + index}>
							<Text color={color.accent} bold>{hint.key}</Text>
							<Text color={color.muted}> {hint.label}{index < hints.length - 1 ? ' '.repeat(GAP) : ''}</Text>
						</Text>
					))}
				</Text>
			</Box>
			{right ? <Text color={color.muted}> {right}</Text> : null}
		</Box>
	);
}
