// The current time, ticking at `intervalMs` while mounted (for countdowns and elapsed times).
import {useEffect, useState} from 'react';

export function useNow(intervalMs = 1000): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs]);
	return now;
}
