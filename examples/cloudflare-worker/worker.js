// A Cloudflare Worker (module syntax) that solves sparse linear systems: POST a Matrix
// Market file, get CG's answer as JSON (see solve.js and README.md).
import { handle } from "./solve.js";

export default {
  fetch: (request) => handle(request),
};
