// Wizard step 7: write the evidence report (Markdown + JSON) and say where it went. Before it is
// written, a preview of what it holds, one row per section, drawn with ink-table (StaticTable):
// a handful of rows that never scroll or take a selection, which is what ink-table is for.
import {Box, Text} from 'ink';
import stringWidth from 'string-width';
import {color} from './theme.js';
import {display} from '../core/display-text.js';
import {StaticTable} from './StaticTable.js';
import type {Column} from './columns.js';
import type {ReportPreviewRow} from './wizard-report.js';

export type SaveState = {status: 'idle'} | {status: 'saving'} | {status: 'saved'; markdownPath: string; jsonPath: string} | {status: 'error'; message: string};

export const PREVIEW_COLUMNS: Column<ReportPreviewRow>[] = [
	// The first to go when narrow (the wizard's panel at 80 columns): the evidence and its words say enough.
	{id: 'section', title: 'SECTION', width: 7, priority: 6, text: (row) => row.section},
	// Ids, addresses and counts: never cut (the column goes whole first, which 80 columns never need).
	{id: 'evidence', title: 'EVIDENCE', width: 8, priority: 10, text: (row) => row.evidence},
	{id: 'detail', title: 'DETAIL', width: 6, cut: 'shrink', grow: true, priority: 7, text: (row) => row.detail},
];

/**
 * The table when every cell fits whole at `width`; else a list, each section's detail on its own
 * line under its evidence, nothing cut. Beside the wizard's rail (~46 columns at 80, ~70 at 120)
 * the table's DETAIL cell would be cut to a few characters ("Replies dropped by …"), and
 * ink-table draws one line per cell, so it cannot wrap it.
 */
export function previewFitsTable(rows: readonly ReportPreviewRow[], width: number): boolean {
	const widest = (text: (row: ReportPreviewRow) => string, title: string) => Math.max(stringWidth(title), ...rows.map((row) => stringWidth(display(text(row)))));
	// Three cells' padding and borders (8) and the gaps between columns (2), as StaticTable draws them.
	return widest((row) => row.section, 'SECTION') + widest((row) => row.evidence, 'EVIDENCE') + widest((row) => row.detail, 'DETAIL') + 10 <= width;
}

const SECTION_WIDTH = 11;

function PreviewList({rows, width}: {rows: readonly ReportPreviewRow[]; width: number}) {
	return (
		<Box flexDirection="column" width={width} marginBottom={1}>
			{rows.map((row) => (
				<Box key={row.section} flexDirection="row" width={width}>
					<Box width={SECTION_WIDTH} flexShrink={0}><Text bold color={color.accent}>{display(row.section)}</Text></Box>
					<Box flexDirection="column" width={width - SECTION_WIDTH}>
						<Text wrap="wrap">{display(row.evidence)}</Text>
						{row.detail ? <Text color={color.muted} wrap="wrap">{display(row.detail)}</Text> : null}
					</Box>
				</Box>
			))}
		</Box>
	);
}

export function SaveStep({save, baseName, preview, width}: {save: SaveState; baseName: string; preview: readonly ReportPreviewRow[]; width: number}) {
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>Save the evidence</Text>
			{save.status !== 'saved' && preview.length ? (
				previewFitsTable(preview, width) ? <StaticTable columns={PREVIEW_COLUMNS} rows={preview} width={width} /> : <PreviewList rows={preview} width={width} />
			) : (
				<Text wrap="wrap">A report for the ticket or a colleague: target, listeners, rules with the deciding ones, flow records seen, verdict and fix.</Text>
			)}
			{/* The file name is longer than the panel at 80 columns: it is said whole once written, never wrapped mid-name. */}
			{save.status === 'idle' ? <Text wrap="wrap">Press <Text bold color={color.accent}>s</Text> (or enter) to write the report{baseName.length + 8 <= width ? <Text color={color.accent}> {baseName}.md</Text> : null} as Markdown and JSON.</Text> : null}
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
		</Box>
	);
}
