// The guided triage: one step per screen with a summary rail. It follows the method — listening
// ports first, then the rules layer by layer, then the flow logs while the user reproduces the
// failure — and each step says plainly when its evidence is missing instead of guessing.
import React, {useEffect, useMemo, useReducer, useState} from 'react';
import {Box, Text, useStdout} from 'ink';
import {useAppActions, useAppState} from './app-context.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {commandFor} from './key-bindings.js';
import {formRequest, initialWizard, wizardReducer, type StepIndex} from './wizard-state.js';
import {resolveTarget} from '../core/check.js';
import {useRejectStream} from './use-reject-stream.js';
import {useAsync, errorMessage} from './use-async.js';
import {useNow} from './use-now.js';
import {WizardRail} from './WizardRail.js';
import {TargetStep} from './TargetStep.js';
import {RequestStep} from './RequestStep.js';
import {ListenStep, listenVerdict} from './ListenStep.js';
import {LayersStep} from './LayersStep.js';
import {ReproduceStep, droppedReplies, fromClient, matchingRejects} from './ReproduceStep.js';
import {VerdictStep} from './VerdictStep.js';
import {SaveStep, type SaveState} from './SaveStep.js';
import {buildReport, reportBaseName} from './wizard-report.js';
import {modeLabel} from './stream-labels.js';
import {verdictText} from './verdict-text.js';
import {describeEniShort} from './inventory-rows.js';
import {color} from './theme.js';
import type {CheckResult} from './services.js';

export interface WizardScreenProps {
	target: string | null;
	width: number;
	height: number;
	active: boolean;
}

export function WizardScreen({target, width, height, active}: WizardScreenProps) {
	const {data, services} = useAppState();
	const actions = useAppActions();
	const [state, dispatch] = useReducer(wizardReducer, target, initialWizard);
	const [save, setSave] = useState<SaveState>({status: 'idle'});
	const [copied, setCopied] = useState(false);
	const {write: writeStdout} = useStdout();
	// OSC 52 asks the terminal to put text on the clipboard (works over SSH; tmux needs set-clipboard on).
	const copyToClipboard = (text: string) => writeStdout(`\u001B]52;c;${Buffer.from(text).toString('base64')}\u0007`);
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;

	const resolved = useMemo(() => {
		if (!inventory || !state.target) return null;
		try {
			return {ok: true as const, ...resolveTarget(inventory, state.target)};
		} catch (error) {
			return {ok: false as const, message: errorMessage(error)};
		}
	}, [inventory, state.target]);
	const eni = resolved?.ok ? resolved.eni : null;
	const instanceId = eni?.instanceId ?? null;
	const request = useMemo(() => {
		if (!state.target || state.step < 2) return null;
		const built = formRequest(state.target, state.form);
		return 'error' in built ? null : built;
	}, [state.target, state.form, state.step]);

	useEffect(() => {
		if (eni && inventory) dispatch({type: 'finding', step: 0, text: describeEniShort(inventory, eni.id), tone: 'muted'});
	}, [eni?.id, inventory]);

	// Step 3 needs the listeners: probe as soon as the target is known.
	useEffect(() => {
		if (instanceId && state.step >= 1) actions.probe(instanceId);
	}, [instanceId, state.step >= 1, actions]);
	const host = instanceId ? data.hosts[instanceId] : undefined;
	const capture = host?.status === 'ready' ? host.capture : null;

	// The stream runs from step 5 on, so step 6's verdict includes what was seen while reproducing.
	const streaming = state.step >= 4 && eni !== null;
	const coverage = useAsync(() => (inventory && eni ? services.flowCoverage(inventory, eni.id) : Promise.reject(new Error('no target'))), [services, inventory, eni?.id]);
	const stream = useRejectStream(services, streaming && eni ? [eni.id] : [], {bucketSeconds: coverage.status === 'ready' ? coverage.value.aggregationSeconds ?? 60 : 60, ownAddresses: eni ? [...eni.privateIps, ...eni.ipv6Addresses] : []});
	const [reproduceStarted, setReproduceStarted] = useState<number | null>(null);
	useEffect(() => {
		if (state.step === 4 && reproduceStarted === null) setReproduceStarted(Date.now());
	}, [state.step, reproduceStarted]);
	const now = useNow(1000);

	const records = useMemo(() => (state.step >= 5 ? stream.store.snapshot().records.map((entry) => entry.record) : null), [state.step, stream.snapshot.version]);
	const check = useMemo((): {ok: true; result: CheckResult} | {ok: false; message: string} | null => {
		if (!inventory || !request || state.step < 3) return null;
		try {
			return {ok: true, result: services.check({inventory, request, host: capture, flows: records})};
		} catch (error) {
			return {ok: false, message: errorMessage(error)};
		}
	}, [inventory, request, capture, records, services, state.step]);

	// Each step's conclusion goes on the rail.
	const listen = request ? listenVerdict(host, instanceId, request) : null;
	useEffect(() => {
		if (!listen || listen.kind === 'pending') return;
		const text = {unknown: '? unknown (no access)', 'not-listening': '✗ not listening', 'loopback-only': '✗ loopback only', listening: '✓ listening'}[listen.kind];
		dispatch({type: 'finding', step: 2, text, tone: listen.kind === 'listening' ? 'good' : listen.kind === 'unknown' ? 'warn' : 'bad'});
	}, [listen?.kind]);
	useEffect(() => {
		if (!check?.ok || state.step < 3) return;
		const {layers} = check.result;
		const blocked = [['NACL in', layers.naclInbound], ['SG', layers.securityGroup], ['NACL return', layers.naclReturn]].filter(([, layer]) => (layer as {status: string}).status === 'deny').map(([name]) => name as string);
		dispatch({type: 'finding', step: 3, text: blocked.length ? `✗ ${blocked.join(', ')} block` : '✓ rules allow', tone: blocked.length ? 'bad' : 'good'});
	}, [check, state.step]);
	const rejectsSeen = request ? matchingRejects(stream.snapshot.aggregates, request).filter((row) => fromClient(row, request)).reduce((sum, row) => sum + row.count, 0) : 0;
	const repliesDropped = request ? droppedReplies(stream.snapshot.aggregates, request).filter((row) => fromClient(row, request)).reduce((sum, row) => sum + row.count, 0) : 0;
	useEffect(() => {
		if (state.step < 4) return;
		const parts = [rejectsSeen ? `${rejectsSeen} REJECT${rejectsSeen === 1 ? '' : 's'}` : '', repliesDropped ? `${repliesDropped} replies dropped` : ''].filter(Boolean);
		dispatch({type: 'finding', step: 4, text: parts.length ? `✗ ${parts.join(', ')}` : 'no REJECT yet', tone: parts.length ? 'bad' : 'muted'});
	}, [rejectsSeen, repliesDropped, state.step]);
	useEffect(() => {
		if (state.step < 5 || !check?.ok) return;
		const verdict = verdictText(check.result.verdict);
		dispatch({type: 'finding', step: 5, text: verdict.title, tone: verdict.tone === 'info' ? 'muted' : verdict.tone});
	}, [check, state.step]);

	const doSave = () => {
		if (!check?.ok || !request || save.status === 'saving') return;
		setSave({status: 'saving'});
		const report = buildReport({
			generatedAt: new Date(),
			mode: services.mode.label,
			name: eni && inventory ? describeEniShort(inventory, eni.id) : null,
			request,
			result: check.result,
			host: capture ? {status: 'captured', capture} : {status: 'unavailable', reason: host?.status === 'error' ? host.message : 'no listener evidence'},
			// The port's traffic both ways: requests to it and the replies from it (the NACL return path).
			records: (records ?? []).filter((record) => record.interfaceId === eni?.id && (request.protocol === 'icmp' || record.dstPort === request.port || record.srcPort === request.port)),
			stream: modeLabel(stream.snapshot.status).text,
		});
		services.saveReport(report).then(
			(paths) => {
				setSave({status: 'saved', ...paths});
				dispatch({type: 'finding', step: 6, text: '✓ saved', tone: 'good'});
			},
			(error: unknown) => setSave({status: 'error', message: errorMessage(error)}),
		);
	};

	useKeyHandler(PRIORITY.screen, (name) => {
		const command = commandFor(name, ['wizard']);
		if (command === 'wizard.prev') {
			if (state.step === 0 || (state.step === 1 && target)) return false;
			dispatch({type: 'prev'});
		} else if (command === 'wizard.next') {
			if (state.step === 0) return true;
			if (state.step >= 3 && !check?.ok) return true;
			dispatch({type: 'next'});
		} else if (command === 'wizard.save' && state.step === 6) doSave();
		else if (command === 'wizard.copy' && state.step === 5 && check?.ok) {
			const commands = check.result.problems.map((problem) => problem.fix.command).filter(Boolean).join('\n');
			if (commands) {
				copyToClipboard(commands);
				setCopied(true);
			}
		}
		else return false;
		return true;
	}, active);

	if (!inventory) return <Text color={color.muted}>⠿ Loading the inventory…</Text>;
	const railWidth = Math.min(30, Math.max(22, Math.floor(width * 0.28)));
	const mainWidth = width - railWidth - 2;
	const footer = 1;
	const mainHeight = height - footer;

	let body: React.ReactNode;
	if (resolved && !resolved.ok) body = <Text color={color.bad} wrap="wrap">✗ {resolved.message}</Text>;
	else if (state.step === 0) body = <TargetStep inventory={inventory} width={mainWidth} height={mainHeight} active={active} onChoose={(chosen) => dispatch({type: 'target', target: chosen})} />;
	else if (state.step === 1) body = <RequestStep state={state} dispatch={dispatch} width={mainWidth} active={active} />;
	else if (!request) body = <Text color={color.bad}>✗ The request is incomplete: go back (esc) to step 2.</Text>;
	else if (state.step === 2) body = <ListenStep verdict={listen!} request={request} source={capture?.source ?? null} width={mainWidth} />;
	else if (!check) body = <Text color={color.muted}>⠿ Evaluating…</Text>;
	else if (!check.ok) body = <Text color={color.bad} wrap="wrap">✗ The check could not run: {check.message}</Text>;
	else if (state.step === 3) body = <LayersStep result={check.result} width={mainWidth} height={mainHeight} />;
	else if (state.step === 4) body = <ReproduceStep request={request} stream={stream} coverage={coverage} elapsedSeconds={reproduceStarted ? (now - reproduceStarted) / 1000 : 0} width={mainWidth} height={mainHeight} />;
	else if (state.step === 5) body = <VerdictStep result={check.result} width={mainWidth} height={mainHeight} copied={copied} />;
	else body = <SaveStep save={save} baseName={reportBaseName(request, check.result, new Date())} width={mainWidth} />;

	const hint = state.step === 0 ? 'type to filter · ↑/↓ choose · enter select · esc leave'
		: state.step === 6 ? 's save · esc previous step'
		: state.step === 5 ? 'y copy the fix command · enter next step (7/7) · esc previous step'
		: `enter next step (${(state.step + 2) as StepIndex | number}/7) · esc previous step`;
	return (
		<Box flexDirection="row" width={width} height={height}>
			<WizardRail state={state} width={railWidth} height={height} />
			<Box flexDirection="column" marginLeft={1} width={mainWidth} height={height}>
				<Box height={mainHeight} flexDirection="column" overflow="hidden">{body}</Box>
				<Text color={color.muted} wrap="truncate">{hint}</Text>
			</Box>
		</Box>
	);
}
