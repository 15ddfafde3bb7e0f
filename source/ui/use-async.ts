// Runs async work for a component and ignores its result once the component unmounted or the
// inputs changed, so a slow probe or API call can never set state on a screen that is gone.
import {useEffect, useState} from 'react';
import {errorLine} from '../core/display-text.js';

export type AsyncState<T> =
	| {status: 'pending'}
	| {status: 'ready'; value: T}
	| {status: 'error'; message: string};

export function useAsync<T>(work: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
	const [state, setState] = useState<AsyncState<T>>({status: 'pending'});
	useEffect(() => {
		let live = true;
		// New inputs: what was shown belongs to the old ones. (Keying the state by the inputs instead
		// would compare arbitrary deps during render.)
		// eslint-disable-next-line react-hooks/set-state-in-effect
		setState({status: 'pending'});
		work().then(
			(value) => live && setState({status: 'ready', value}),
			(error: unknown) => live && setState({status: 'error', message: errorLine(error)}),
		);
		return () => {
			live = false;
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, deps);
	return state;
}
