// The header: product, evidence source, and where you are (esc walks back along it).
import {Box, Text} from 'ink';
import {color, symbol} from './theme.js';
import {truncate} from './format.js';

export interface BreadcrumbsProps {
	crumbs: string[];
	mode: string;
	width: number;
}

export function Breadcrumbs({crumbs, mode, width}: BreadcrumbsProps) {
	const modeText = ` ${mode} `;
	const room = Math.max(10, width - modeText.length - 9);
	// Keep the end of the trail (the current view) when it is too long.
	let trail = crumbs.join(` ${symbol.separator} `);
	if (trail.length > room) trail = `…${trail.slice(trail.length - room + 1)}`;
	const parts = trail.split(` ${symbol.separator} `);
	return (
		<Box width={width} height={1}>
			<Text bold color={color.accent}>sgtui </Text>
			<Box flexGrow={1} overflow="hidden">
				<Text wrap="truncate">
					{parts.map((part, index) => (
						<Text key={index}>
							{index > 0 ? <Text color={color.muted}> {symbol.separator} </Text> : null}
							<Text bold={index === parts.length - 1} color={index === parts.length - 1 ? color.title : color.muted}>{part}</Text>
						</Text>
					))}
				</Text>
			</Box>
			<Text color="black" backgroundColor={color.accent}>{truncate(modeText, Math.max(8, width - 30))}</Text>
		</Box>
	);
}
