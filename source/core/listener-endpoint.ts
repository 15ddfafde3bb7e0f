// How a socket's binding reads in every verdict and listing: the address as ss prints it, with the
// device a socket is bound to. A wildcard bound to one device with SO_BINDTODEVICE (ss:
// `0.0.0.0%eth0:80`, `*%eth0:22`, `[::]%eth0:443`) takes every address but only packets that
// arrive on that device (socket(7): "only packets received from that particular interface are
// processed by the socket"), so it must never read as "all interfaces". On `lo` it is loopback
// only, which the exposure already says (address-exposure.ts).
import type {Listener} from './types.js';

/** The device a reachable wildcard is restricted to, or null when it takes every device. */
export function wildcardDevice(listener: Pick<Listener, 'exposure' | 'interface'>): string | null {
	return listener.exposure === 'all-interfaces' && listener.interface !== undefined ? listener.interface : null;
}

/** `0.0.0.0%eth0:80`, `[::]%eth0:443`, `*%lo:22`, `127.0.0.1:25`: the binding as ss shows it. */
export function listenerEndpoint(listener: Pick<Listener, 'family' | 'address' | 'port' | 'interface'>): string {
	const address = listener.family === 'ipv6' && !listener.address.startsWith('[') ? `[${listener.address}]` : listener.address;
	return `${address}${listener.interface === undefined ? '' : `%${listener.interface}`}:${listener.port}`;
}

/** The exposure in words, naming the device of a device-bound wildcard. */
export function exposureText(listener: Pick<Listener, 'exposure' | 'interface'>): string {
	const device = wildcardDevice(listener);
	return device === null ? listener.exposure : `all addresses on ${device} only`;
}
