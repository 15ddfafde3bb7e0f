// Wizard step 7: write the evidence report (Markdown + JSON) and say where it went. Before it is
// written, a preview of what it holds, one row per section, drawn with ink-table (StaticTable):
// a handful of rows that never scroll or take a selection, which is what ink-table is for.
import {Box, Text} from 'ink';
import {color} from './theme.js';
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

export function SaveStep({save, baseName, preview, width}: {save: SaveState; baseName: string; preview: readonly ReportPreviewRow[]; width: number}) {
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>Save the evidence</Text>
			{save.status !== 'saved' && preview.length ? (
				<StaticTable columns={PREVIEW_COLUMNS} rows={preview} width={width} />
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
