// The header: product, evidence source, and where you are (esc walks back along it).
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {color, symbol} from './theme.js';
import {truncate} from './format.js';

export interface BreadcrumbsProps {
	crumbs: string[];
	mode: string;
	width: number;
}

const SEPARATOR = ` ${symbol.separator} `;

/**
 * The trail's parts within `room` columns, the current view kept: leading parts go whole and a
 * lone `…` stands for them ("… › web-1 (eni-0f1e…) › Rules"), never a part cut inside its word
 * or id ("…tory", "…a69788)"). Only a last part wider than the room is cut, at its end.
 */
export function trailParts(crumbs: readonly string[], room: number): string[] {
	const parts = crumbs.flatMap((crumb) => crumb.split(SEPARATOR));
	const width = (shown: readonly string[]) => stringWidth(shown.join(SEPARATOR));
	if (width(parts) <= room) return parts;
	for (let drop = 1; drop < parts.length; drop++) {
		const shown = ['…', ...parts.slice(drop)];
		if (width(shown) <= room) return shown;
	}
	const last = parts.at(-1) ?? '';
	return [truncate(last, Math.max(1, room))];
}

export function Breadcrumbs({crumbs, mode, width}: BreadcrumbsProps) {
	const modeText = ` ${mode} `;
	const room = Math.max(10, width - stringWidth(modeText) - 9);
	const parts = trailParts(crumbs, room);
	return (
		<Box width={width} height={1}>
			<Text bold color={color.accent}>sgtui </Text>
			<Box flexGrow={1} overflow="hidden">
				<Text wrap="truncate">
					{parts.map((part, index) => (
						<Text key={index}>
							{index > 0 ? <Text color={color.muted}>{SEPARATOR}</Text> : null}
							<Text bold={index === parts.length - 1} color={index === parts.length - 1 ? color.title : color.muted}>{part}</Text>
						</Text>
					))}
				</Text>
			</Box>
			<Text color="black" backgroundColor={color.accent}>{truncate(modeText, Math.max(8, width - 30))}</Text>
		</Box>
	);
}
