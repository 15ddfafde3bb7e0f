// The system clipboard for the UI's `y`: OSC 52 to the terminal (works over SSH when the terminal
// allows it) and, under tmux, tmux's paste buffer too. tmux's default `set-clipboard external`
// ignores OSC 52 from programs (tmux(1), set-clipboard: "external" lets tmux set the outer
// clipboard but not applications), so the sequence alone would be lost there; `load-buffer -w`
// puts the text in tmux's buffer (prefix ] pastes) and has tmux forward it to the outer terminal.
import {execFile} from 'node:child_process';
import {clipboardSequence} from '../core/display-text.js';
import type {Clipboard, CopyOutcome} from '../ui/clipboard.js';

function loadTmuxBuffer(text: string, args: string[]): Promise<boolean> {
	return new Promise((resolve) => {
		const child = execFile('tmux', ['load-buffer', ...args, '-'], {timeout: 3000}, (error) => resolve(!error));
		child.stdin?.end(text);
	});
}

export function systemClipboard(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Clipboard {
	return {
		async copy(text: string): Promise<CopyOutcome> {
			const via: string[] = [];
			stream.write(clipboardSequence(text));
			via.push('the terminal (OSC 52)');
			if (!env.TMUX) return {via, note: 'the terminal must allow OSC 52; f writes the fix to a file'};
			// -w (tmux 3.2+) also forwards it to the outer terminal's clipboard; older tmux: buffer only.
			const loaded = (await loadTmuxBuffer(text, ['-w'])) || (await loadTmuxBuffer(text, []));
			if (loaded) via.push("tmux's paste buffer (prefix ] pastes)");
			return {via, note: loaded ? null : "tmux drops OSC 52 from programs by default (set -g set-clipboard on); f writes the fix to a file"};
		},
	};
}
