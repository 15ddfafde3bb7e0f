// The header's trail at 80 columns: leading crumbs go whole behind one `…`; none is cut inside a
// word or id (it showed "…tory › web-1 …" and "…a69788) › Rules › Wizard i-0a1b…").
import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {trailParts} from '../../source/ui/Breadcrumbs.js';
import {breadcrumbs, initialNav, navReducer} from '../../source/ui/navigation.js';

const ENI = 'web-1 (eni-0f1e2d3c4b5a69788) › Rules';

describe('breadcrumb trail', () => {
	it('is whole when it fits', () => {
		expect(trailParts(['Inventory', ENI], 60)).toEqual(['Inventory', 'web-1 (eni-0f1e2d3c4b5a69788)', 'Rules']);
	});

	it('drops leading crumbs whole, keeping the current view (the 80-column demo: 45 columns of room)', () => {
		expect(trailParts(['Inventory', ENI], 45)).toEqual(['…', 'web-1 (eni-0f1e2d3c4b5a69788)', 'Rules']);
		expect(trailParts(['Inventory', ENI, 'Wizard i-0a1b2c3d4e5f60718'], 45)).toEqual(['…', 'Rules', 'Wizard i-0a1b2c3d4e5f60718']);
	});

	it('never exceeds the room, and every part but a lone last one is whole', () => {
		const crumbs = ['Inventory /sg-0a11b22c33d44e501', ENI, 'Wizard i-0a1b2c3d4e5f60718'];
		const whole = new Set(['…', ...crumbs.flatMap((crumb) => crumb.split(' › '))]);
		for (let room = 10; room <= 120; room++) {
			const parts = trailParts(crumbs, room);
			expect(stringWidth(parts.join(' › ')), `${room}`).toBeLessThanOrEqual(room);
			if (parts.length > 1) for (const part of parts) expect(whole.has(part), `${room}: ${part}`).toBe(true);
		}
	});
});

describe(':sg jumps to the filtered inventory', () => {
	it('as the root, from any screen: one Inventory crumb, and esc (the filter clears) is the way back', () => {
		let state = navReducer(initialNav(), {type: 'push', view: {kind: 'eni', eniId: 'eni-0f1e2d3c4b5a69788', tab: 'rules'}});
		state = navReducer(state, {type: 'jump', view: {kind: 'inventory', filter: 'sg-0a11b22c33d44e501'}});
		expect(breadcrumbs(state, (id) => id)).toEqual(['Inventory /sg-0a11b22c33d44e501']);
		state = navReducer(state, {type: 'jump', view: {kind: 'audit'}});
		expect(breadcrumbs(state, (id) => id)).toEqual(['Inventory /sg-0a11b22c33d44e501', 'Audit']);
	});
});
