// The path a connection takes, in order: the client's security groups and subnet ACL on the way
// out, the route into the target's subnet, the target's ACL and security groups, the socket, and
// back: the target's ACL and the client's ACL for the reply. Security groups are stateful and
// need nothing for the reply; NACLs are stateless and are checked both ways. A new layer (the far
// side of a peering, a host firewall) is one more module in this list.
import type {Layer} from '../types.js';
import {clientNaclOutboundLayer} from './client-nacl-outbound.js';
import {clientNaclReturnLayer} from './client-nacl-return.js';
import {clientSecurityGroupLayer} from './client-security-group.js';
import {hostLayer} from './host.js';
import type {PathLayer} from './layer.js';
import {naclInboundLayer} from './nacl-inbound.js';
import {naclReturnLayer} from './nacl-return.js';
import {routeLayer} from './route.js';
import {securityGroupLayer} from './security-group.js';

export const PATH: ReadonlyArray<PathLayer> = [
	clientSecurityGroupLayer,
	clientNaclOutboundLayer,
	routeLayer,
	naclInboundLayer,
	securityGroupLayer,
	hostLayer,
	naclReturnLayer,
	clientNaclReturnLayer,
] as PathLayer[];

/** Layer titles by name, for tables and the wizard. */
export const LAYER_TITLES: Readonly<Record<Layer, string>> = Object.fromEntries(PATH.map((layer) => [layer.name, layer.title])) as Record<Layer, string>;
