// Layer 8: the client subnet's NACL, inbound — the reply entering the client's subnet, from the
// server port to the client's ephemeral ports (NACLs are stateless).
import {clientNaclLayer} from './client-nacl.js';
import type {PathLayer} from './layer.js';

export const clientNaclReturnLayer: PathLayer<'clientNaclReturn'> = {
	name: 'clientNaclReturn',
	title: 'Client NACL return',
	evaluate: (ctx) => clientNaclLayer(ctx, 'clientNaclReturn', 'reply', 'blocked-by-client-nacl-return'),
};
