// Where a copied fix goes. The app passes a system clipboard (OSC 52, which the output guard lets
// through as sgtui's own, plus tmux's paste buffer under tmux); without one (tests) the OSC 52
// sequence goes to ink's stdout.
export interface CopyOutcome {
	/** What it was sent to, in words: "the terminal (OSC 52)", "tmux's paste buffer". */
	via: string[];
	/** What the user should know (tmux's default set-clipboard drops OSC 52 from programs). */
	note: string | null;
}

export interface Clipboard {
	copy(text: string): Promise<CopyOutcome>;
}
