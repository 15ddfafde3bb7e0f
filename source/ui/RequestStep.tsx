// Wizard step 2: what fails — port, protocol, the client's address (optional: any) and its OS
// (which decides the ephemeral port range the NACL must let replies go back to).
import {Box, Text} from 'ink';
import {InputCursor} from './InputCursor.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {CLIENT_OSES, PROTOCOLS, type FormField, type WizardAction, type WizardState} from './wizard-state.js';
import {describeEphemeral} from '../core/ephemeral-ports.js';
import {color} from './theme.js';
import {fit} from './format.js';
import stringWidth from 'string-width';

export interface RequestStepProps {
	state: WizardState;
	dispatch: (action: WizardAction) => void;
	width: number;
	active: boolean;
}

/** The end of a value too long for its room (the end is where one types), marked with an ellipsis. */
function tail(text: string, room: number): string {
	return text.length <= room ? text : `…${text.slice(text.length - Math.max(0, room - 1))}`;
}

const LABELS: Record<FormField, string> = {port: 'Port', protocol: 'Protocol', client: 'Client address', clientOs: 'Client OS'};

export function RequestStep({state, dispatch, width, active}: RequestStepProps) {
	const {form} = state;
	const textField = form.field === 'port' || form.field === 'client';
	useKeyHandler(PRIORITY.input, (name, input, key) => {
		// A paste is one edit: typed whole, or refused whole with a message (never half of it).
		if (name === 'paste') {
			if (!textField) return false;
			dispatch({type: 'edit', text: input});
		} else if (name === 'down' || name === 'tab') dispatch({type: 'field', delta: 1});
		else if (name === 'up' || name === 'shift+tab') dispatch({type: 'field', delta: -1});
		else if (name === 'left' || name === 'right' || (name === ' ' && (form.field === 'protocol' || form.field === 'clientOs'))) dispatch({type: 'cycle', delta: name === 'left' ? -1 : 1});
		else if (name === 'backspace') dispatch({type: 'erase'});
		else if (name === 'ctrl+a') dispatch({type: 'any'});
		// In a text field every printable key is text: "q" or "?" never quits or opens help from
		// here; what the field cannot hold is refused with a message. ":" stays the palette.
		else if (textField && input.length === 1 && input >= ' ' && input !== ':' && !key.ctrl && !key.meta) dispatch({type: 'edit', text: input});
		else return false;
		return true;
	}, active);
	const labelWidth = 18;
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
	/** The field's value as drawn, and whether its hint fits beside it whole (else, focused, it goes under the form). */
	const layout = (field: FormField) => {
		const editable = field === 'port' || field === 'client';
		const shown = editable ? tail(value(field), width - labelWidth - 1) : value(field);
		const cursor = form.field === field && editable ? 1 : 0;
		return {editable, shown, inline: stringWidth(shown) + cursor + 2 + stringWidth(hint(field)) <= width - labelWidth};
	};
	const focusedHintBelow = !layout(form.field).inline;
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>What fails?</Text>
			<Text color={color.muted} wrap="wrap">The connection you try: its port, protocol and — if you know it — the client's address.</Text>
			<Text> </Text>
			{(['port', 'protocol', 'client', 'clientOs'] as const).map((field) => {
				const focused = form.field === field;
				const {editable, shown, inline} = layout(field);
				return (
					<Box key={field} height={1} width={width} overflow="hidden">
						<Box width={labelWidth} flexShrink={0}>
							<Text color={focused ? color.accent : color.muted} bold={focused}>{focused ? '› ' : '  '}{fit(LABELS[field], labelWidth - 2)}</Text>
						</Box>
						<Box flexShrink={0}>
							<Text bold={focused}>{shown}</Text>
							{focused && editable ? <InputCursor /> : null}
						</Box>
						<Box flexShrink={1} overflow="hidden">
							{inline ? <Text color={color.muted} wrap="truncate">  {hint(field)}</Text> : null}
						</Box>
					</Box>
				);
			})}
			{focusedHintBelow ? <Text color={color.muted} wrap="wrap">{LABELS[form.field]}: {hint(form.field)}</Text> : <Text> </Text>}
			{state.formError ? <Text color={color.bad} wrap="wrap">✗ {state.formError}</Text> : null}
			{state.inputNotice ? <Text color={color.warn} wrap="wrap">! {state.inputNotice}</Text> : null}
			{!state.formError && !state.inputNotice ? <Text color={color.muted}>↑/↓ field · enter continue · esc back</Text> : null}
		</Box>
	);
}
