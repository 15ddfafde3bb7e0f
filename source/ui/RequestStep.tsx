// Wizard step 2: what fails — port, protocol, the client's address (optional: any) and its OS
// (which decides the ephemeral port range the NACL must let replies go back to).
import React from 'react';
import {Box, Text} from 'ink';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {CLIENT_OSES, PROTOCOLS, type FormField, type WizardAction, type WizardState} from './wizard-state.js';
import {describeEphemeral} from '../core/ephemeral-ports.js';
import {color} from './theme.js';
import {fit} from './format.js';

export interface RequestStepProps {
	state: WizardState;
	dispatch: (action: WizardAction) => void;
	width: number;
	active: boolean;
}

const LABELS: Record<FormField, string> = {port: 'Port', protocol: 'Protocol', client: 'Client address', clientOs: 'Client OS'};

export function RequestStep({state, dispatch, width, active}: RequestStepProps) {
	const {form} = state;
	useKeyHandler(PRIORITY.input, (name, input, key) => {
		if (name === 'down' || name === 'tab') dispatch({type: 'field', delta: 1});
		else if (name === 'up' || name === 'shift+tab') dispatch({type: 'field', delta: -1});
		else if (name === 'left' || name === 'right' || (name === ' ' && (form.field === 'protocol' || form.field === 'clientOs'))) dispatch({type: 'cycle', delta: name === 'left' ? -1 : 1});
		else if (name === 'backspace') dispatch({type: 'erase'});
		else if (name === 'ctrl+a') dispatch({type: 'any'});
		// Only characters the focused field can hold are typed; anything else (":", "?", "q" on the
		// port field) keeps its global meaning.
		else if (form.field === 'port' && /^\d$/.test(input) && !key.ctrl && !key.meta) dispatch({type: 'edit', text: input});
		else if (form.field === 'client' && /^[\w.:/-]$/.test(input) && !key.ctrl && !key.meta) dispatch({type: 'edit', text: input});
		else return false;
		return true;
	}, active);
	const value = (field: FormField) => {
		switch (field) {
			case 'port': return form.port;
			case 'protocol': return PROTOCOLS.map((protocol) => (protocol === form.protocol ? `[${protocol}]` : ` ${protocol} `)).join(' ');
			case 'client': return form.client;
			case 'clientOs': return CLIENT_OSES.map((os) => (os === form.clientOs ? `[${os}]` : ` ${os} `)).join(' ');
		}
	};
	const hint = (field: FormField) => {
		switch (field) {
			case 'port': return form.protocol === 'icmp' ? 'ICMP type, 8 = ping' : 'e.g. 443';
			case 'protocol': return '←/→ to change';
			case 'client': return form.client ? 'IP, CIDR or sg- id' : 'empty = any client (ctrl+a clears)';
			case 'clientOs': return describeEphemeral(form.clientOs);
		}
	};
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>What fails?</Text>
			<Text color={color.muted} wrap="truncate">The connection you try: its port, protocol and — if you know it — the client's address.</Text>
			<Text> </Text>
			{(['port', 'protocol', 'client', 'clientOs'] as const).map((field) => {
				const focused = form.field === field;
				const text = value(field);
				const editable = field === 'port' || field === 'client';
				return (
					<Box key={field} height={1}>
						<Text color={focused ? color.accent : color.muted} bold={focused}>{focused ? '› ' : '  '}{fit(LABELS[field], 16)}</Text>
						<Text bold={focused}>{text}</Text>
						{focused && editable ? <Text inverse> </Text> : null}
						<Text color={color.muted}>  {hint(field)}</Text>
					</Box>
				);
			})}
			<Text> </Text>
			{state.formError ? <Text color={color.bad}>✗ {state.formError}</Text> : <Text color={color.muted}>↑/↓ field · enter continue · esc back</Text>}
		</Box>
	);
}
