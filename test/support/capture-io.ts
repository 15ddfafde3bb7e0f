// The io a CLI command writes through (runSshPorts and friends), captured as text; no passphrase
// prompt and no ssh-agent, so a test never waits on a person or on the developer's own keys.
export function captureIo() {
	let stdout = '';
	let stderr = '';
	return {
		io: {stdout: {write: (text: string) => (stdout += text)}, stderr: {write: (text: string) => (stderr += text)}, askPassphrase: null, agentSocket: null},
		stdout: () => stdout,
		stderr: () => stderr,
	};
}
