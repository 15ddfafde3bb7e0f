// Wizard step 4: each layer on the path, in path order (core/path's list: the client's groups and
// NACL, the route, the target's NACL and groups, the host, and both NACLs for the reply) with its
// status and the rules that decided it. Layers that do not apply (same subnet, a client outside
// the snapshot) take one line.
// Not ink-table (issue 15): a layer's summary is a sentence that wraps (it names the deciding
// rule and its addresses); ink-table cells are one line and would cut exactly those addresses,
// and its border line between rows would leave room for half the layers at 80×24.
import {Box, Text} from 'ink';
import {color, toneColor} from './theme.js';
import type {CheckResult} from './services.js';
import type {Tone} from './theme.js';
import {layersInPathOrder} from './verdict-text.js';

const STATUS: Record<string, {symbol: string; tone: Tone}> = {
	allow: {symbol: '✓', tone: 'good'},
	deny: {symbol: '✗', tone: 'bad'},
	partial: {symbol: '!', tone: 'warn'},
	unknown: {symbol: '?', tone: 'warn'},
};

export function LayersStep({result, width, height}: {result: CheckResult; width: number; height: number}) {
	const layers = layersInPathOrder(result);
	const compact = height < layers.length * 4 + 4;
	const quiet = (summary: string) => /^(Not evaluated|Same subnet|Local):/.test(summary);
	const rulesEach = Math.max(compact ? 0 : 1, Math.floor((height - 2 - layers.length * (compact ? 2 : 4)) / layers.length));
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold>The path, layer by layer</Text>
			<Text color={color.muted} wrap="truncate">source {result.sourceDescription} → {result.target.privateIp ?? result.target.eniId} ({result.request.protocol}/{result.request.port})</Text>
			{layers.map(([title, layer]) => {
				// A layer that does not apply lets everything through without checking anything: no tick.
				const status = layer.notEvaluated ? {symbol: '–', tone: 'muted' as Tone} : (STATUS[layer.status] ?? STATUS.unknown!);
				return (
					<Box key={title} flexDirection="column" marginTop={compact ? 0 : 1} flexShrink={0}>
						<Text color={toneColor(status.tone)} bold>{status.symbol} {title}</Text>
						<Box flexDirection="column" paddingLeft={2}>
							<Text wrap={compact || quiet(layer.summary) ? 'truncate' : 'wrap'} color={quiet(layer.summary) ? color.muted : undefined}>{layer.summary}</Text>
							{layer.rules.slice(0, rulesEach).map((rule, index) => (
								<Text key={index} color={color.muted} wrap="truncate">{rule.text}</Text>
							))}
							{layer.rules.length > rulesEach && rulesEach > 0 ? <Text color={color.muted}>… {layer.rules.length - rulesEach} more</Text> : null}
						</Box>
					</Box>
				);
			})}
		</Box>
	);
}
