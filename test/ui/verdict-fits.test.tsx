// Wizard step 6 at 80×24: the fix command is on screen whole, and so is the file `f` wrote.
// The bastion's verdict showed only "aws --endpoint-url … \" (the first of its command's lines,
// the rest clipped with no sign), and "✓ written to /tmp/…/sgtui-triage-eni-0…" hid the file.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Rendered} from '../support/render-and-wait.js';
import {renderSnapshotApp} from '../support/snapshot-app.js';
import {panelText} from '../support/wizard-panel.js';
import {fillRequest, openWizard} from '../support/wizard-steps.js';

let current: Rendered | null = null;
let dir: string | null = null;
afterEach(() => {
	current?.unmount();
	current = null;
	if (dir) rmSync(dir, {recursive: true, force: true});
	dir = null;
});

describe('the verdict at 80×24', () => {
	it('shows the bastion fix command to its last line, and the written file whole', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'sgtui-verdict-'));
		const ui = renderSnapshotApp({columns: 80, rows: 24}, {reportDir: dir});
		current = ui;
		await ui.waitForFrame('web-1');
		await openWizard(ui, 'eni-03c4d5e6f708192a3');
		await fillRequest(ui, '22', '198.51.100.23');
		await ui.press('enter', 'Is anything listening');
		await ui.press('enter', 'layer by layer');
		await ui.press('enter', 'Now try the connection');
		let frame = await ui.press('enter', 'Replies dropped by the network ACL');
		// The command runs from "aws" to its last quoted piece: the panel ends it, not the edge.
		let panel = panelText(frame);
		expect(panel).toContain('aws ec2 create-network-acl-entry');
		expect(panel, frame).toMatch(/create-network-acl-entry .*--rule-action allow/);
		expect(panel, frame).not.toContain('more than fits');
		frame = await ui.press('f', 'written to');
		panel = panelText(frame).replace(/ /g, '');
		const [file] = readdirSync(dir);
		expect(file).toMatch(/-fix\.sh$/);
		// Wrapped over the panel's rows, the path is all there.
		expect(panel, frame).toContain(path.join(dir, file!).replace(/ /g, ''));
		expect(panel, frame).toMatch(/create-network-acl-entry.*--rule-action.*allow/);
	});
});
