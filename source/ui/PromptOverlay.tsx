// Questions from an SSH probe: trust an unknown host key (shown by its SHA256 fingerprint, only
// an explicit "y" trusts it), type a key passphrase (masked, never drawn or logged), or — the
// session's first live probe — go ahead and dial the address shown.
import {useState} from 'react';
import {Box, Text} from 'ink';
import {InputCursor} from './InputCursor.js';
import {PRIORITY, useKeyHandler} from './key-dispatcher.js';
import {color} from './theme.js';
import {wrappedRows} from './format.js';
import type {PendingPrompt} from './app-context.js';

const HOST_KEY_ADVICE = 'Compare it with the key the instance printed (EC2 console → Get system log). Trust and remember it?';
const appendsTo = (file: string) => `y appends it to ${file}`;
const dialTitle = (target: string) => `Probe ${target}?`;
const dialLine = (address: string) => `This dials ${address}`;
const hostKeyTitle = (host: string) => `Unknown host key for ${host}`;
const passphraseTitle = (keyPath: string) => `Passphrase for ${keyPath}`;

/**
 * Rows the overlay takes at this width (border included), so the screen above gives them up:
 * each line's rows as ink wraps it (format.ts wrappedRows), the same words the overlay draws.
 */
export function promptHeight(prompt: PendingPrompt, width: number): number {
	const inner = Math.max(1, width - 4);
	const rows = (...lines: string[]) => lines.reduce((total, line) => total + wrappedRows(line, inner), 0);
	const border = 2;
	if (prompt.kind === 'dial') return border + rows(dialTitle(prompt.target), dialLine(prompt.address)) + 2;
	if (prompt.kind === 'hostKey') return border + rows(hostKeyTitle(prompt.host), `${prompt.keyType} ${prompt.fingerprint}`, HOST_KEY_ADVICE, appendsTo(prompt.knownHostsFile)) + 1;
	return border + rows(passphraseTitle(prompt.keyPath)) + 2;
}

export function PromptOverlay({prompt, width}: {prompt: PendingPrompt; width: number}) {
	const [secret, setSecret] = useState('');
	useKeyHandler(PRIORITY.prompt, (name, input, key) => {
		if (prompt.kind === 'hostKey' || prompt.kind === 'dial') {
			if (input === 'y' || input === 'Y') prompt.resolve(true);
			else if (input === 'n' || input === 'N' || name === 'esc') prompt.resolve(false);
			return true;
		}
		if (name === 'esc') prompt.resolve(null);
		else if (name === 'enter') prompt.resolve(secret);
		else if (name === 'backspace') setSecret((value) => value.slice(0, -1));
		else if (!key.ctrl && !key.meta && input) setSecret((value) => value + input);
		return true;
	});
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={color.warn} width={width} paddingX={1}>
			{prompt.kind === 'dial' ? (
				<>
					<Text bold color={color.warn}>{dialTitle(prompt.target)}</Text>
					<Text wrap="wrap">{dialLine(prompt.address)}</Text>
					<Text color={color.muted} wrap="truncate">Later probes this session won't ask. --no-probe turns probing off.</Text>
					<Text><Text bold color={color.accent}>y</Text> probe  <Text bold color={color.accent}>n</Text> not now</Text>
				</>
			) : prompt.kind === 'hostKey' ? (
				<>
					<Text bold color={color.warn}>{hostKeyTitle(prompt.host)}</Text>
					<Text>{prompt.keyType} {prompt.fingerprint}</Text>
					<Text color={color.muted}>{HOST_KEY_ADVICE}</Text>
					<Text wrap="wrap">{appendsTo(prompt.knownHostsFile)}</Text>
					<Text><Text bold color={color.accent}>y</Text> trust  <Text bold color={color.accent}>n</Text> refuse</Text>
				</>
			) : (
				<>
					<Text bold color={color.warn}>{passphraseTitle(prompt.keyPath)}</Text>
					<Text wrap="truncate-start">{'•'.repeat(secret.length)}<InputCursor /></Text>
					<Text color={color.muted}>enter unlock  esc cancel</Text>
				</>
			)}
		</Box>
	);
}
