import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {initialWindow, listReducer, normalizeWindow, visibleRange, type ListAction} from '../../source/ui/list-window.js';

describe('list window reducer', () => {
	it('scrolls the window to follow the selection', () => {
		let state = initialWindow(100, 10);
		for (let i = 0; i < 15; i++) state = listReducer(state, {type: 'down'});
		expect(state.selected).toBe(15);
		expect(visibleRange(state)).toEqual({from: 6, to: 16});
		state = listReducer(state, {type: 'top'});
		expect(visibleRange(state)).toEqual({from: 0, to: 10});
		state = listReducer(state, {type: 'bottom'});
		expect(state.selected).toBe(99);
		expect(visibleRange(state)).toEqual({from: 90, to: 100});
	});

	it('pages by the window height and clamps at the ends', () => {
		let state = initialWindow(25, 10);
		state = listReducer(state, {type: 'pageDown'});
		expect(state.selected).toBe(10);
		state = listReducer(state, {type: 'pageDown'});
		state = listReducer(state, {type: 'pageDown'});
		expect(state.selected).toBe(24);
		expect(visibleRange(state).to).toBe(25);
		state = listReducer(state, {type: 'pageUp'});
		expect(state.selected).toBe(14);
	});

	it('keeps the selection valid when the list shrinks (filtering) or the terminal shrinks', () => {
		let state = listReducer(initialWindow(50, 10), {type: 'bottom'});
		state = listReducer(state, {type: 'count', count: 3});
		expect(state.selected).toBe(2);
		expect(visibleRange(state)).toEqual({from: 0, to: 3});
		state = listReducer(initialWindow(50, 20), {type: 'select', index: 19});
		state = listReducer(state, {type: 'resize', height: 5});
		expect(visibleRange(state)).toEqual({from: 15, to: 20});
	});

	it('always shows the selected row, never more rows than the height (property)', () => {
		const action = fc.oneof(
			fc.constantFrom<ListAction>({type: 'up'}, {type: 'down'}, {type: 'pageUp'}, {type: 'pageDown'}, {type: 'top'}, {type: 'bottom'}),
			fc.nat(200).map((index): ListAction => ({type: 'select', index})),
			fc.integer({min: 1, max: 40}).map((height): ListAction => ({type: 'resize', height})),
			fc.nat(200).map((count): ListAction => ({type: 'count', count})),
		);
		fc.assert(fc.property(fc.nat(200), fc.integer({min: 1, max: 40}), fc.array(action, {maxLength: 60}), (count, height, actions) => {
			let state = initialWindow(count, height);
			for (const next of actions) state = listReducer(state, next);
			const {from, to} = visibleRange(state);
			expect(to - from).toBeLessThanOrEqual(state.height);
			if (state.count > 0) {
				expect(state.selected).toBeGreaterThanOrEqual(from);
				expect(state.selected).toBeLessThan(to);
				// The window is full whenever there are enough rows to fill it.
				expect(to - from).toBe(Math.min(state.height, state.count));
			}
			expect(normalizeWindow(state)).toEqual(state);
		}));
	});
});
