export {default as throttle} from 'es-toolkit-full/compat/throttle';
