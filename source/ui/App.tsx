// The frame: header with breadcrumbs, an optional banner, the current screen (or help), and the
// status bar or command palette. Every height is derived from the terminal size, and the frame
// is one line shorter than the terminal so ink never has to clear and redraw the whole screen.
import React, {useCallback, useMemo} from 'react';
import {Box, Text} from 'ink';
import {AppProvider, useAppActions, useAppState} from './app-context.js';
import {KeyDispatcherProvider, PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {isCommand} from './key-bindings.js';
import {SCREEN_COMMANDS, SCREEN_HINTS, screenOf} from './screen-keys.js';
import {breadcrumbs, currentView} from './navigation.js';
import {useWindowSize} from './use-window-size.js';
import {Breadcrumbs} from './Breadcrumbs.js';
import {StatusBar} from './StatusBar.js';
import {HelpOverlay} from './HelpOverlay.js';
import {CommandPalette} from './CommandPalette.js';
import {PromptOverlay, promptHeight} from './PromptOverlay.js';
import {InventoryScreen} from './InventoryScreen.js';
import {EniScreen} from './EniScreen.js';
import {WizardScreen} from './WizardScreen.js';
import {AuditScreen} from './AuditScreen.js';
import {describeEniShort} from './inventory-rows.js';
import {color, toneColor, toneSymbol} from './theme.js';
import {PALETTE_ID_KINDS, type PaletteCommand} from './palette-commands.js';
import {malformedIdMessage} from '../core/aws-ids.js';
import {display} from '../core/display-text.js';
import {argumentKinds, paletteTargets, resolveArgument} from './palette-completion.js';
import type {SgtuiServices} from './services.js';
import type {Clipboard} from './clipboard.js';
import {displayServices} from './display-services.js';
import {ViewMemoryProvider} from './view-memory.js';
import {tooSmallLines} from './too-small.js';
import {bannerLines} from './banner-lines.js';
import {shownBanner} from './data-state.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface AppProps {
	services: SgtuiServices;
	onQuit: () => void;
	/** The system clipboard (source/app/clipboard.ts); tests leave it out. */
	clipboard?: Clipboard | null;
}

export function App({services: given, onQuit, clipboard = null}: AppProps) {
	// All outside data enters the UI through the services: sanitized there, once (display-services.ts).
	const services = useMemo(() => displayServices(given), [given]);
	return (
		<KeyDispatcherProvider>
			<AppProvider services={services} onQuit={onQuit} clipboard={clipboard}>
				<ViewMemoryProvider>
					<Shell />
				</ViewMemoryProvider>
			</AppProvider>
		</KeyDispatcherProvider>
	);
}

/** One line however many parts were denied: one warning in full, several by permission. */
export function loadWarningLine(warnings: string[]): string {
	if (warnings.length === 1) return warnings[0]!;
	const permissions = warnings.map((warning) => warning.split(' ')[0]);
	return `${permissions.join(', ')} denied: those parts are unknown; grant them (see the README's IAM policy)`;
}

function Shell() {
	const {columns, rows} = useWindowSize();
	const {data, nav, prompt, services} = useAppState();
	const actions = useAppActions();
	const view = currentView(nav);
	const inventory = data.inventory.status === 'ready' ? data.inventory.inventory : null;

	const runCommand = useCallback((given: PaletteCommand) => {
		actions.navigate({type: 'overlay', overlay: null});
		const fail = (text: string) => actions.setBanner({tone: 'bad', text: display(text), from: 'palette'});
		let command = given;
		if (command.kind === 'eni' || command.kind === 'instance' || command.kind === 'sg' || (command.kind === 'wizard' && command.target)) {
			// A name (completed with tab, or typed) stands for its id.
			let id = command.kind === 'wizard' ? command.target! : command.id;
			if (inventory) {
				const resolved = resolveArgument(id, argumentKinds(command.kind), paletteTargets(inventory));
				if (!resolved.ok) return fail(resolved.error);
				id = resolved.id;
			}
			// What is neither a name in the inventory nor a well-formed id gets the CLI's one-line
			// complaint (the id grammar), not a lookup that can only say "not found".
			const problem = malformedIdMessage(command.kind, id, PALETTE_ID_KINDS[command.kind]);
			if (problem) return fail(problem);
			command = command.kind === 'wizard' ? {...command, target: id} : {...command, id};
		}
		// Every branch below either fails (a new complaint) or runs: the old complaint is stale.
		actions.commandRan();
		switch (command.kind) {
			case 'quit': actions.quit(); return;
			case 'help': actions.navigate({type: 'overlay', overlay: 'help'}); return;
			case 'audit': actions.navigate({type: 'jump', view: {kind: 'audit'}}); return;
			case 'inventory': actions.navigate({type: 'home'}); return;
			case 'wizard': actions.navigate({type: 'jump', view: {kind: 'wizard', target: command.target}}); return;
			case 'sg': actions.navigate({type: 'jump', view: {kind: 'inventory', filter: command.id}}); return;
			case 'eni': {
				if (!inventory) return fail('The inventory is not loaded yet.');
				if (!inventory.networkInterfaces.some((eni) => eni.id === command.id)) return fail(`No network interface ${command.id} in the inventory.`);
				actions.navigate({type: 'jump', view: {kind: 'eni', eniId: command.id, tab: 'rules'}});
				return;
			}
			case 'instance': {
				if (!inventory) return fail('The inventory is not loaded yet.');
				const eni = inventory.networkInterfaces.find((candidate) => candidate.instanceId === command.id);
				if (!eni) return fail(`No instance ${command.id} (with a network interface) in the inventory.`);
				actions.navigate({type: 'jump', view: {kind: 'eni', eniId: eni.id, tab: 'rules'}});
			}
		}
	}, [actions, inventory]);

	useKeyHandler(PRIORITY.global, (name, _input, _key, origin) => {
		// A q inside pasted text is text that landed nowhere, never a request to quit.
		if (isCommand('app.quit', name)) {
			if (!origin.pasted) actions.quit();
		}
		else if (isCommand('app.help', name)) actions.navigate({type: 'overlay', overlay: 'help'});
		else if (isCommand('app.palette', name)) actions.navigate({type: 'overlay', overlay: 'palette'});
		else if (isCommand('app.refresh', name)) actions.refresh();
		else if (isCommand('app.wizard', name)) {
			if (view.kind !== 'wizard') actions.navigate({type: 'push', view: {kind: 'wizard', target: null}});
		}
		else if (isCommand('app.back', name)) {
			// esc always goes back; it also dismisses a message on the way (the notice, if any, comes
			// back under it), or, with no message, the notice.
			if (data.banner) actions.setBanner(null);
			else if (data.notice && !data.notice.hidden) actions.hideNotice();
			actions.navigate({type: 'pop'});
		} else return false;
		return true;
	});

	// Below the minimum the screens stay mounted (hidden, laid out at the minimum size), so a
	// wizard half filled in, a filter or a selection survive the terminal shrinking and growing.
	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	const width = Math.max(columns, MIN_COLUMNS);
	const frameRows = Math.max(rows, MIN_ROWS) - 1;
	const live = !nav.overlay && !prompt && !tooSmall;
	const help = nav.overlay === 'help';
	const shown = shownBanner(data, help);
	const banner = shown ? bannerLines(`${toneSymbol(shown.tone)} ${shown.text}`, width) : [];
	const bannerRows = banner.length + (data.loadWarnings.length ? 1 : 0);
	const footerRows = nav.overlay === 'palette' ? 2 : 1;
	const promptRows = prompt ? promptHeight(prompt, width) : 0;
	const bodyHeight = frameRows - 1 - bannerRows - footerRows - promptRows;
	const crumbs = breadcrumbs(nav, (eniId) => (inventory ? describeEniShort(inventory, eniId) : eniId));

	const screen = screenOf(view);
	let body: React.ReactNode;
	switch (view.kind) {
		case 'inventory': body = <InventoryScreen view={view} width={width} height={bodyHeight} active={live} />; break;
		case 'eni': body = <EniScreen view={view} width={width} height={bodyHeight} active={live} />; break;
		case 'wizard': body = <WizardScreen key={`${nav.stack.length}:${view.target}:${JSON.stringify(view.prefill ?? null)}`} target={view.target} prefill={view.prefill ?? null} width={width} height={bodyHeight} active={live} />; break;
		case 'audit': body = <AuditScreen width={width} height={bodyHeight} active={live} />; break;
	}

	return (
		<Box flexDirection="column">
			{tooSmall ? <TooSmall columns={columns} rows={rows} /> : null}
			<Box display={tooSmall ? 'none' : 'flex'} flexDirection="column" width={width} height={frameRows}>
			<Breadcrumbs crumbs={crumbs} mode={services.mode.label} width={width} />
			{shown ? (
				<Box height={banner.length} width={width} flexDirection="column">
					{banner.map((line, index) => <Text key={index} color={toneColor(shown.tone)} wrap="truncate">{line}</Text>)}
				</Box>
			) : null}
			{data.loadWarnings.length ? (
				<Box height={1} width={width}>
					<Text color={color.warn} wrap="truncate">{toneSymbol('warn')} {loadWarningLine(data.loadWarnings)} </Text>
				</Box>
			) : null}
			{/* Help covers the screen without unmounting it: a wizard half filled in is still there after. */}
			<Box display={help ? 'none' : 'flex'} height={bodyHeight} width={width} flexDirection="column" overflow="hidden">{body}</Box>
			{help ? <HelpOverlay commands={SCREEN_COMMANDS[screen]} width={width} height={bodyHeight} onClose={() => actions.navigate({type: 'overlay', overlay: null})} /> : null}
			{prompt ? <PromptOverlay key={prompt.kind === 'hostKey' ? `${prompt.host} ${prompt.fingerprint}` : prompt.kind === 'dial' ? `dial ${prompt.target}` : prompt.keyPath} prompt={prompt} width={width} /> : null}
			{nav.overlay === 'palette' ? (
				<CommandPalette width={width} onRun={runCommand} onClose={() => actions.navigate({type: 'overlay', overlay: null})} />
			) : (
				<StatusBar commands={[...SCREEN_HINTS[screen]]} width={width} />
			)}
			</Box>
		</Box>
	);
}

/** The longest wording that fits the terminal, line by line (too-small.ts): never cut itself. */
function TooSmall({columns, rows}: {columns: number; rows: number}) {
	const lines = tooSmallLines(columns, rows, {columns: MIN_COLUMNS, rows: MIN_ROWS});
	return (
		<Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)} overflow="hidden">
			{lines.map((line, index) => <Text key={index} color={index === 0 ? color.warn : undefined} wrap="truncate">{line}</Text>)}
		</Box>
	);
}
