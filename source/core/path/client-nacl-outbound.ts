// Layer 2: the client subnet's NACL, outbound — the request leaving the client's subnet.
import {clientNaclLayer} from './client-nacl.js';
import type {PathLayer} from './layer.js';

export const clientNaclOutboundLayer: PathLayer<'clientNaclOutbound'> = {
	name: 'clientNaclOutbound',
	title: 'Client NACL outbound',
	evaluate: (ctx) => clientNaclLayer(ctx, 'clientNaclOutbound', 'request', 'blocked-by-client-nacl-outbound'),
};
