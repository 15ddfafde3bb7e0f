// `--via auto|ssh|ssm`, shared by `sgtui ports` and `sgtui snapshot --probe-hosts`.
import {isProbeVia, PROBE_VIAS, type ProbeVia} from '../core/probe-transport.js';
import {UsageError} from './errors.js';

export function parseVia(value: unknown): ProbeVia {
	if (value === undefined || value === null) return 'auto';
	if (!isProbeVia(value)) throw new UsageError(`--via takes ${PROBE_VIAS.join(', ')} (got "${String(value)}")`);
	return value;
}
