// --no-probe and SGTUI_NO_PROBE: one place that decides whether sgtui may dial hosts, and says
// how to turn probing back on (the UI's host panels and `snapshot --probe-hosts` both show it).

/**
 * Why probing is off, and how to turn it on; null when it is on. SGTUI_NO_PROBE=1 (any value but
 * empty or 0) does what --no-probe does, for the lab and CI.
 */
export function probeOffReason(options: {probe?: boolean}, env: NodeJS.ProcessEnv = process.env): string | null {
	const flag = options.probe === false;
	const variable = env.SGTUI_NO_PROBE !== undefined && env.SGTUI_NO_PROBE !== '' && env.SGTUI_NO_PROBE !== '0';
	if (!flag && !variable) return null;
	const why = [flag ? '--no-probe' : null, variable ? 'SGTUI_NO_PROBE is set' : null].filter(Boolean).join(' and ');
	const undo = [flag ? 'run sgtui without --no-probe' : null, variable ? 'unset SGTUI_NO_PROBE' : null].filter(Boolean).join(' and ');
	return `Probing is off (${why}): sgtui dials no host, so what listens is unknown. To probe over SSH or Systems Manager, ${undo}; or open a snapshot whose hosts/<instance-id>.txt holds a capture.`;
}
