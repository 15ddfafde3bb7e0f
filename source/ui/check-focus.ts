// The wizard's check (interface, protocol, port) as the lists see it: Rules, Listeners and Rejects
// mark the rows that concern it. A marker character, not a colour, so NO_COLOR still shows it.
import {protocolNumber} from '../core/protocols.js';
import type {CheckProtocol} from '../core/types.js';

export interface CheckFocus {
	eniId: string;
	protocol: CheckProtocol;
	/** The port; for ICMP the type. */
	port: number;
}

export const FOCUS_MARK = '◆';

const NUMBERS: Record<CheckProtocol, readonly number[]> = {tcp: [6], udp: [17], icmp: [1, 58]};

export function focusLabel(focus: CheckFocus): string {
	return focus.protocol === 'icmp' ? `icmp type ${focus.port}` : `${focus.protocol}/${focus.port}`;
}

/**
 * True when a rule or record of `protocol` over ports `from`–`to` covers the check. All-traffic
 * (-1) covers every check; a missing or -1 range means all ports (for ICMP rules: all types).
 */
export function coversCheck(focus: CheckFocus, protocol: string | number | null | undefined, from: number | null | undefined, to: number | null | undefined): boolean {
	const number = protocol === null || protocol === undefined ? null : protocolNumber(protocol);
	if (number === -1) return true;
	if (number === null || !NUMBERS[focus.protocol].includes(number)) return false;
	if (from === null || from === undefined || from === -1) return true;
	// An SG ICMP rule's FromPort is the type, its ToPort the code: only the type is compared.
	if (focus.protocol === 'icmp') return from === focus.port;
	return from <= focus.port && focus.port <= (to === null || to === undefined || to === -1 ? from : to);
}
