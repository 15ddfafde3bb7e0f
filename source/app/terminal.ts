// Entering and leaving the alternate screen. ink 6.8 has no alternateScreen option, so the TUI
// switches buffers itself and guarantees the way back on every exit path (quit, error, signal).
const ENTER = '\u001B[?1049h\u001B[?25l\u001B[H\u001B[2J';
const LEAVE = '\u001B[?25h\u001B[?1049l';

export function enterAlternateScreen(stdout: NodeJS.WriteStream): () => void {
	stdout.write(ENTER);
	let left = false;
	const leave = () => {
		if (left) return;
		left = true;
		stdout.write(LEAVE);
	};
	process.once('exit', leave);
	return leave;
}
