// solvewasm/compat as an ES module: loaded before the first line of user code runs.
import { ready } from "./compat.js";

await ready;

export * from "./compat.js";
