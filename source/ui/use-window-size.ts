// The terminal's size, updated on resize. ink 6.8 has no size hook; every region's height is
// derived from this so a frame is never taller than the terminal.
import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface WindowSize {
	columns: number;
	rows: number;
}

function read(stdout: NodeJS.WriteStream): WindowSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

export function useWindowSize(): WindowSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => read(stdout));
	useEffect(() => {
		const onResize = () => setSize(read(stdout));
		stdout.on('resize', onResize);
		onResize();
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
