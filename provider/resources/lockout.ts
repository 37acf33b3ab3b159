/** Moved to provider/core/lockout.ts (issue 16: the platforms import it from the layer below them). */
export { DEFAULT_WINDOW_SECONDS, windowOf, LockoutRevertedError } from "../core/lockout";
