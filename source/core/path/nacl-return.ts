// Layer 7: the target subnet's NACL, outbound — the reply leaving the subnet for the client's
// ephemeral port. NACLs are stateless: the reply needs its own allow rule.
import type {PathLayer} from './layer.js';
import {targetNaclLayer} from './target-nacl.js';

export const naclReturnLayer: PathLayer<'naclReturn'> = {
	name: 'naclReturn',
	title: 'NACL return path',
	evaluate: (ctx) => targetNaclLayer(ctx, 'naclReturn', 'reply', 'blocked-by-nacl-return'),
};
