// sgtui's version, shared by the launcher's fast path and commander's --version.
export const VERSION = '0.1.0';
