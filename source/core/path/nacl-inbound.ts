// Layer 4: the target subnet's NACL, inbound — the request entering the subnet.
import type {PathLayer} from './layer.js';
import {targetNaclLayer} from './target-nacl.js';

export const naclInboundLayer: PathLayer<'naclInbound'> = {
	name: 'naclInbound',
	title: 'NACL inbound',
	evaluate: (ctx) => targetNaclLayer(ctx, 'naclInbound', 'request', 'blocked-by-nacl-inbound'),
};
