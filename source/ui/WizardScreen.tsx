// The guided triage: one step per screen with a summary rail. It follows the method — listening
// ports first, then the rules layer by layer, then the flow logs while the user reproduces the
// failure — and each step says plainly when its evidence is missing instead of guessing.
import React, {useEffect, useMemo, useReducer, useState} from 'react';
import {Box, Text} from 'ink';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor, isCommand, keyHint} from './key-bindings.js';
import {describeRequest, formRequest, hasEnteredData, initialWizard, prefilledWizard, wizardReducer, type WizardPrefill} from './wizard-state.js';
import {railFindings} from './wizard-findings.js';
import {resolveTarget} from '../core/check.js';
import {useRejectEntry, useRejectView} from './use-reject-stream.js';
import {useAsync} from './use-async.js';
import {useNow} from './use-now.js';
import {WizardRail, railWidth as railWidthFor} from './WizardRail.js';
import {TargetStep} from './TargetStep.js';
import {RequestStep} from './RequestStep.js';
import {ListenStep, listenVerdict} from './ListenStep.js';
import {LayersStep} from './LayersStep.js';
import {ReproduceStep, rejectTally} from './ReproduceStep.js';
import {VerdictStep} from './VerdictStep.js';
import {SaveStep, type SaveState} from './SaveStep.js';
import {buildReport, reportBaseName, reportPreview, type ReportInput} from './wizard-report.js';
import {modeLabel} from './stream-labels.js';
import {describeEniShort} from './inventory-rows.js';
import {color} from './theme.js';
import {packItems, wrappedRows} from './format.js';
import stringWidth from 'string-width';
import {copyStatus, useCopyText} from './use-copy-text.js';
import {FixView, fixScriptLines, type FixItem} from './FixView.js';
import type {CheckResult} from './services.js';
import {errorLine} from '../core/display-text.js';

export interface WizardScreenProps {
	target: string | null;
	/** From evidence (a Rejects row, a listener, an audit finding): the form comes filled in. */
	prefill?: WizardPrefill | null;
	width: number;
	height: number;
	active: boolean;
}

/** The fix commands of a result, one after the other, as they are copied and written. */
export function fixCommands(result: CheckResult): string {
	return result.problems.map((problem) => problem.fix.command).filter(Boolean).join('\n');
}

export function WizardScreen({target, prefill = null, width, height, active}: WizardScreenProps) {
	const {data, services} = useAppState();
	const actions = useAppActions();
	const [state, dispatch] = useReducer(wizardReducer, null, () => (target && prefill ? prefilledWizard(target, prefill) : initialWizard(target)));
	const [save, setSave] = useState<SaveState>({status: 'idle'});
	// What was copied or written, not whether: after R changes the verdict, the line goes with it.
	// Also keyed by the inventory it was made against: after R the line goes even when the fix reads the same.
	const [fixStatus, setFixStatus] = useState<{fix: string; inventory: unknown; tone: 'good' | 'warn' | 'bad'; text: string} | null>(null);
	const [fixView, setFixView] = useState(false);
	// Leaving with work under way asks first: quitting the app, or esc out of a form the user changed.
	const [confirm, setConfirm] = useState<'quit' | 'leave' | null>(null);
	const confirmQuit = confirm !== null;
	const [initialForm] = useState(() => state.form);
	const [reproduceStarted, setReproduceStarted] = useState<number | null>(null);
	const copyToClipboard = useCopyText();
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;

	const resolved = useMemo(() => {
		if (!inventory || !state.target) return null;
		try {
			return {ok: true as const, ...resolveTarget(inventory, state.target)};
		} catch (error) {
			return {ok: false as const, message: errorLine(error)};
		}
	}, [inventory, state.target]);
	const eni = resolved?.ok ? resolved.eni : null;
	const instanceId = eni?.instanceId ?? null;
	const request = useMemo(() => {
		if (!state.target || state.step < 2) return null;
		const built = formRequest(state.target, state.form);
		return 'error' in built ? null : built;
	}, [state.target, state.form, state.step]);

	// The check, for the lists: back on the interface, its Rules, Listeners and Rejects mark the
	// rows about this port (the wizard's state is its own; the lists live elsewhere).
	// A valid form is enough (a check opened from evidence is filled in at step 2).
	const focusEni = eni?.id ?? null;
	const draft = useMemo(() => (state.target ? formRequest(state.target, state.form) : null), [state.target, state.form]);
	const focusProtocol = draft && !('error' in draft) ? draft.protocol : null;
	const focusPort = draft && !('error' in draft) ? draft.port : null;
	useEffect(() => {
		if (focusEni && focusProtocol && focusPort !== null) actions.setCheckFocus({eniId: focusEni, protocol: focusProtocol, port: focusPort});
	}, [focusEni, focusProtocol, focusPort, actions]);

	// Step 3 needs the listeners: probe as soon as the target is known.
	const probing = state.step >= 1;
	useEffect(() => {
		if (instanceId && probing) actions.probe(instanceId);
	}, [instanceId, probing, actions]);
	const host = instanceId ? data.hosts[instanceId] : undefined;
	const capture = host?.status === 'ready' ? host.capture : null;

	// The stream runs from step 5 on, so step 6's verdict includes what was seen while reproducing.
	const streaming = state.step >= 4 && eni !== null;
	const coverage = useAsync(() => (inventory && eni ? services.flowCoverage(inventory, eni.id) : Promise.reject(new Error('no target'))), [services, inventory, eni?.id]);
	// The interface's own stream (reject-streams.ts): the one its Rejects tab shows, if it runs already.
	const entry = useRejectEntry(streaming && eni ? eni.id : null, {bucketSeconds: coverage.status === 'ready' ? coverage.value.aggregationSeconds ?? 60 : 60, ownAddresses: eni ? [...eni.privateIps, ...eni.ipv6Addresses] : []});
	const stream = useRejectView(entry);
	const now = useNow(1000);

	// The store is mutable: its sampled version is what says the records changed.
	// eslint-disable-next-line react-hooks/exhaustive-deps
	const records = useMemo(() => (state.step >= 5 ? stream.store.snapshot().records.map((entry) => entry.record) : null), [state.step, stream.snapshot.version, stream.store]);
	const check = useMemo((): {ok: true; result: CheckResult} | {ok: false; message: string} | null => {
		if (!inventory || !request || state.step < 3) return null;
		try {
			return {ok: true, result: services.check({inventory, request, host: capture, flows: records})};
		} catch (error) {
			return {ok: false, message: errorLine(error)};
		}
	}, [inventory, request, capture, records, services, state.step]);

	const platform = inventory?.instances.find((instance) => instance.id === instanceId)?.platform ?? null;
	const clientFamily = request && ((request.source.kind === 'address' && request.source.address.includes(':')) || (request.source.kind === 'cidr' && request.source.cidr.includes(':'))) ? 'ipv6' : 'ipv4';
	const listen = request ? listenVerdict(host, eni, platform, request, clientFamily) : null;
	const tally = request ? rejectTally(stream.snapshot.aggregates, request) : null;
	const findings = railFindings({
		step: state.step,
		targetLabel: eni && inventory ? describeEniShort(inventory, eni.id) : state.target,
		targetId: eni?.id ?? null,
		request,
		listen,
		result: check?.ok ? check.result : null,
		tally,
		saved: save.status === 'saved',
	});
	const fix = check?.ok ? fixCommands(check.result) : '';
	const fixItems: FixItem[] = check?.ok ? check.result.problems.flatMap((problem) => (problem.fix.command ? [{summary: problem.fix.summary, command: problem.fix.command}] : [])) : [];
	const shownFixStatus = fixStatus && fixStatus.fix === fix && fixStatus.inventory === inventory ? fixStatus : null;
	const copyFix = () => {
		copyToClipboard(fix).then(
			(outcome) => setFixStatus({fix, inventory, ...copyStatus(outcome)}),
			(error: unknown) => setFixStatus({fix, inventory, tone: 'bad', text: `✗ could not copy: ${errorLine(error)}`}),
		);
	};
	const writeFix = () => {
		if (!services.saveFix || !request || !check?.ok) {
			setFixStatus({fix, inventory, tone: 'bad', text: '✗ this mode cannot write files'});
			return;
		}
		const script = ['#!/bin/sh', `# sgtui: the narrowest fix for ${describeRequest(request)} to ${state.target ?? ''}`, '# Review before running: sgtui builds commands and never runs them.', ...fixScriptLines(fixItems, 100), ''].join('\n');
		services.saveFix({baseName: `${reportBaseName(request, check.result, new Date())}-fix`, script}).then(
			(file) => setFixStatus({fix, inventory, tone: 'good', text: `✓ written to ${file}`}),
			(error: unknown) => setFixStatus({fix, inventory, tone: 'bad', text: `✗ could not write the fix: ${errorLine(error)}`}),
		);
	};
	const saved = save.status === 'saved';

	// The report's evidence, built once for step 7's preview and for the file it writes.
	const reportInput = (): ReportInput | null => {
		if (!check?.ok || !request) return null;
		return {
			generatedAt: new Date(),
			mode: services.mode.label,
			name: eni && inventory ? describeEniShort(inventory, eni.id) : null,
			request,
			result: check.result,
			host: capture ? {status: 'captured', capture} : {status: 'unavailable', reason: host?.status === 'error' ? host.message : 'no listener evidence'},
			// The port's traffic both ways: requests to it and the replies from it (the NACL return path).
			records: (records ?? []).filter((record) => record.interfaceId === eni?.id && (request.protocol === 'icmp' || record.dstPort === request.port || record.srcPort === request.port)),
			stream: modeLabel(stream.snapshot.status).text,
		};
	};
	const doSave = () => {
		const input = reportInput();
		if (!input || save.status === 'saving') return;
		setSave({status: 'saving'});
		const report = buildReport(input);
		services.saveReport(report).then(
			(paths) => setSave({status: 'saved', ...paths}),
			(error: unknown) => setSave({status: 'error', message: errorLine(error)}),
		);
	};
	const newCheck = () => {
		dispatch({type: 'newCheck'});
		setSave({status: 'idle'});
		setFixStatus(null);
		setFixView(false);
		setReproduceStarted(null);
	};

	// Quitting with a check under way asks first; a second q (or y) confirms. Leaving a changed
	// form with esc asks the same way; y leaves, a second esc (or n) stays.
	useKeyHandler(PRIORITY.overlay, (name) => {
		if (confirm === 'quit' && (name === 'y' || isCommand('app.quit', name))) actions.quit();
		else if (confirm === 'leave' && name === 'y') {
			setConfirm(null);
			actions.navigate({type: 'pop'});
		} else if (name === 'n' || name === 'esc') setConfirm(null);
		return true;
	}, active && confirmQuit);

	useKeyHandler(PRIORITY.screen, (name, _input, _key, origin) => {
		if (isCommand('app.quit', name) && !origin.pasted && hasEnteredData(state) && !saved) {
			setConfirm('quit');
			return true;
		}
		const command = commandFor(name, ['wizard']);
		if (command === 'wizard.prev') {
			if (state.step === 0) return false;
			if (state.step === 1 && target) {
				// esc here leaves the wizard: a form the user changed is not dropped without asking.
				if (JSON.stringify(state.form) === JSON.stringify(initialForm)) return false;
				setConfirm('leave');
				return true;
			}
			dispatch({type: 'prev'});
		} else if (command === 'wizard.next') {
			if (state.step === 0) return true;
			if (state.step >= 3 && !check?.ok) return true;
			if (state.step === 6) {
				// The last step: enter saves, and once saved goes back to where the wizard was opened.
				if (saved) actions.navigate({type: 'pop'});
				else doSave();
				return true;
			}
			if (state.step === 3 && reproduceStarted === null) setReproduceStarted(Date.now());
			dispatch({type: 'next'});
		} else if (command === 'wizard.save' && state.step === 6) doSave();
		else if (command === 'wizard.newCheck' && state.step === 6 && saved) newCheck();
		else if (command === 'wizard.copy' && state.step === 5 && fix) copyFix();
		else if (command === 'wizard.writeFix' && state.step === 5 && fix) writeFix();
		else if (command === 'wizard.viewFix' && state.step === 5 && fix) setFixView(true);
		else return false;
		return true;
	}, active && !confirmQuit);

	if (!inventory) return <Text color={color.muted}>⠿ Loading the inventory…</Text>;
	const railWidth = railWidthFor(findings, width);
	const mainWidth = width - railWidth - 2;
	const wizardHints = confirm === 'quit' ? ['y quit and lose this check', 'n / esc stay']
		: confirm === 'leave' ? ['y leave and discard it', 'n / esc stay']
		: state.step === 0 ? ['type to filter', '↑/↓ choose', 'enter select', keyHint('app.back', 'leave')]
		: state.step === 6 && saved ? [keyHint('wizard.next', 'back to the interface'), keyHint('wizard.newCheck', 'new check'), keyHint('app.palette')]
		: state.step === 6 ? [keyHint('wizard.save'), keyHint('wizard.prev', 'previous step')]
		: state.step === 5 ? [...(fix ? [keyHint('wizard.copy', 'copy'), keyHint('wizard.viewFix', 'view whole'), keyHint('wizard.writeFix', 'to file')] : []), keyHint('wizard.next', 'next (7/7)'), keyHint('wizard.prev', 'back')]
		: [keyHint('wizard.next', `next step (${state.step + 2}/7)`), keyHint('wizard.prev', 'previous step')];
	const statusLine = state.step === 5 && shownFixStatus !== null;
	const question = confirm === 'quit' ? 'Quit sgtui and lose this check?' : confirm === 'leave' ? 'Leave the wizard? What you entered is discarded.' : null;
	const hintLines = withQuestion(question, packItems(wizardHints, mainWidth), mainWidth);
	// The status wraps: "✓ written to <path>" cut at the panel's edge hid where the file went.
	const statusRows = statusLine && shownFixStatus ? wrappedRows(shownFixStatus.text, mainWidth) : 0;
	const footer = statusRows + hintLines.length;
	const mainHeight = height - footer;

	let body: React.ReactNode;
	if (resolved && !resolved.ok) body = <Text color={color.bad} wrap="wrap">✗ {resolved.message}</Text>;
	else if (state.step === 0) body = <TargetStep inventory={inventory} width={mainWidth} height={mainHeight} active={active && !confirmQuit} onChoose={(chosen) => dispatch({type: 'target', target: chosen})} />;
	else if (state.step === 1) body = <RequestStep state={state} dispatch={dispatch} width={mainWidth} active={active && !confirmQuit} />;
	else if (!request) body = <Text color={color.bad}>✗ The request is incomplete: go back (esc) to step 2.</Text>;
	else if (state.step === 2) body = <ListenStep verdict={listen ?? {kind: 'pending'}} request={request} source={capture?.source ?? null} width={mainWidth} />;
	else if (!check) body = <Text color={color.muted}>⠿ Evaluating…</Text>;
	else if (!check.ok) body = <Text color={color.bad} wrap="wrap">✗ The check could not run: {check.message}</Text>;
	else if (state.step === 3) body = <LayersStep result={check.result} width={mainWidth} height={mainHeight} />;
	else if (state.step === 4) body = <ReproduceStep request={request} stream={stream} coverage={coverage} elapsedSeconds={reproduceStarted ? (now - reproduceStarted) / 1000 : 0} width={mainWidth} height={mainHeight} />;
	else if (state.step === 5) body = <VerdictStep result={check.result} width={mainWidth} height={mainHeight} />;
	else {
		const input = reportInput();
		body = <SaveStep save={save} baseName={reportBaseName(request, check.result, new Date())} preview={input ? reportPreview(input) : []} width={mainWidth} />;
	}

	if (fixView && state.step === 5 && fixItems.length) {
		return <FixView items={fixItems} status={shownFixStatus} width={width} height={height} active={active && !confirmQuit} onClose={() => setFixView(false)} />;
	}
	return (
		<Box flexDirection="row" width={width} height={height}>
			<WizardRail step={state.step} findings={findings} width={railWidth} height={height} />
			<Box flexDirection="column" marginLeft={1} width={mainWidth} height={height}>
				<Box height={mainHeight} flexDirection="column" overflow="hidden">{body}</Box>
				{statusLine && shownFixStatus ? <Box height={statusRows}><Text color={color[shownFixStatus.tone]} wrap="wrap">{shownFixStatus.text}</Text></Box> : null}
				{/* Every hint whole: on a narrow panel (80 columns) they take a second line rather than lose "enter next". */}
				{hintLines.map((line, index) => <Text key={index} color={confirmQuit ? color.warn : color.muted} bold={confirmQuit} wrap="truncate">{line}</Text>)}
			</Box>
		</Box>
	);
}

/** The confirmation's question before its keys, on their first line when it fits there. */
function withQuestion(question: string | null, lines: string[], width: number): string[] {
	if (!question) return lines;
	const [first = '', ...rest] = lines;
	return stringWidth(`${question} ${first}`) <= width ? [`${question} ${first}`, ...rest] : [question, ...lines];
}
