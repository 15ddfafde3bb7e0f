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
import {truncateWords, wordWrap} from './format.js';
import stringWidth from 'string-width';

const STATUS: Record<string, {symbol: string; tone: Tone}> = {
	allow: {symbol: '✓', tone: 'good'},
	deny: {symbol: '✗', tone: 'bad'},
	partial: {symbol: '!', tone: 'warn'},
	unknown: {symbol: '?', tone: 'warn'},
};

/** How a layer is drawn when the panel is short: its title and summary on one line, or the summary under the title, whole or cut between words. */
export type LayerFit = {collapsed: boolean; wrap: boolean};

/**
 * Fits the layers into `height` rows (two header rows first) when they cannot all take four:
 * the layers that stop or may stop the traffic get their summary whole (it names the deciding
 * rule and its addresses); rows for that come from layers that let it through, which share one
 * line with their title, in path order, only as many as needed. Rows left over wrap the others.
 */
export function fitLayers(layers: ReadonlyArray<{status: string; notEvaluated?: boolean; summary: string}>, width: number, height: number): LayerFit[] {
	const room = Math.max(1, width - 2);
	const problem = (layer: (typeof layers)[number]) => !layer.notEvaluated && layer.status !== 'allow';
	const extra = layers.map((layer) => wordWrap(layer.summary, room).rows - 1);
	const fits: LayerFit[] = layers.map(() => ({collapsed: false, wrap: false}));
	let spare = height - 2 - layers.length * 2;
	const need = layers.reduce((total, layer, index) => total + (problem(layer) ? extra[index]! : 0), 0);
	for (const [index, layer] of layers.entries()) {
		if (spare >= need) break;
		if (problem(layer)) continue;
		fits[index] = {collapsed: true, wrap: false};
		spare += 1;
	}
	for (const pass of [true, false]) {
		for (const [index, layer] of layers.entries()) {
			if (problem(layer) !== pass || fits[index]!.collapsed || extra[index]! > spare) continue;
			fits[index] = {collapsed: false, wrap: true};
			spare -= extra[index]!;
		}
	}
	return fits;
}

const quiet = (summary: string) => /^(Not evaluated|Same subnet|Local):/.test(summary);

interface LayerPlan {
	/** Each layer's summary broken into rows of the panel (less its indent). */
	summaries: Array<{text: string; rows: number}>;
	/** Rules listed under each layer (0 when compact). */
	rulesEach: number;
	/** Short of a blank row, a title, a summary and a rule for every layer: fitLayers decides. */
	compact: boolean;
	fits: LayerFit[] | null;
	/** Whether each layer's summary is drawn whole (wrapped) rather than cut to one row. */
	wraps: boolean[];
}

/** How step 4 spends `room` rows (two for its title and source line) on `layers`. */
export function planLayers(layers: ReadonlyArray<{status: string; notEvaluated?: boolean; summary: string; rules: readonly unknown[]}>, width: number, room: number): LayerPlan {
	const summaries = layers.map((layer) => wordWrap(layer.summary, Math.max(1, width - 2)));
	// Rows left when each layer takes a blank row, its title, its summary (a quiet one, where the
	// layer decided nothing, cut to one row) and up to `each` of its rules with a "… n more".
	const spareWith = (each: number) => room - 2 - layers.reduce((total, layer, index) => total + 2 + (quiet(layer.summary) ? 1 : summaries[index]!.rows) + Math.min(layer.rules.length, each) + (layer.rules.length > each ? 1 : 0), 0);
	// An even share of the rows in rules a layer, fewer where long summaries need the rows; short of
	// one each, rows go to whole summaries (they name the deciding rule), not rule lists.
	let rulesEach = Math.max(1, Math.floor((room - 2 - layers.length * 4) / layers.length));
	while (rulesEach > 1 && spareWith(rulesEach) < 0) rulesEach -= 1;
	if (room < layers.length * 4 + 4 || spareWith(rulesEach) < 0) {
		const fits = fitLayers(layers, width, room);
		return {summaries, rulesEach: 0, compact: true, fits, wraps: fits.map((fit) => fit.wrap)};
	}
	// Quiet summaries wrap too while rows are free, in path order.
	let spare = spareWith(rulesEach);
	const wraps = layers.map((layer, index) => {
		if (!quiet(layer.summary)) return true;
		const extra = summaries[index]!.rows - 1;
		if (extra > spare) return false;
		spare -= extra;
		return true;
	});
	return {summaries, rulesEach, compact: false, fits: null, wraps};
}

export function LayersStep({result, width, height}: {result: CheckResult; width: number; height: number}) {
	const layers = layersInPathOrder(result);
	// The source line wraps rather than cut its port or address; its extra rows come off the layers'.
	const source = wordWrap(`source ${result.sourceDescription} → ${result.target.privateIp ?? result.target.eniId} (${result.request.protocol}/${result.request.port})`, width);
	const room = height - (source.rows - 1);
	const {summaries, rulesEach, compact, fits, wraps} = planLayers(layers.map(([, layer]) => layer), width, room);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Box flexShrink={0}><Text bold>The path, layer by layer</Text></Box>
			<Box flexShrink={0}><Text color={color.muted}>{source.text}</Text></Box>
			{layers.map(([title, layer], index) => {
				// A layer that does not apply lets everything through without checking anything: no tick.
				const status = layer.notEvaluated ? {symbol: '–', tone: 'muted' as Tone} : (STATUS[layer.status] ?? STATUS.unknown!);
				if (fits?.[index]?.collapsed) {
					const head = `${status.symbol} ${title}`;
					// What fits of the summary between words; nothing when that is not even its first word.
					const said = truncateWords(layer.summary, Math.max(1, width - stringWidth(head) - 3));
					return (
						<Text key={title} wrap="truncate">
							<Text color={toneColor(status.tone)} bold>{head}</Text>
							{said === '…' ? null : <Text color={color.muted}> · {said}</Text>}
						</Text>
					);
				}
				// Wrapped here, between words, so every row starts two columns in (see wordWrap).
				const summary = wraps[index] ? summaries[index]!.text : truncateWords(layer.summary, Math.max(1, width - 2));
				return (
					<Box key={title} flexDirection="column" marginTop={compact ? 0 : 1} flexShrink={0}>
						<Text color={toneColor(status.tone)} bold>{status.symbol} {title}</Text>
						<Box flexDirection="column" paddingLeft={2}>
							<Text wrap={wraps[index] ? 'wrap' : 'truncate'} color={quiet(layer.summary) ? color.muted : undefined}>{summary}</Text>
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
