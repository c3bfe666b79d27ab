// Deno: the same handler as the Cloudflare Worker (solve.js), served by Deno.serve.
//   deno run --allow-net --allow-read server.js [port]   (port 8000 by default; 0 picks a free one)
import { handle } from "./solve.js";

const port = Number(Deno.args[0] ?? 8000);
Deno.serve({ hostname: "127.0.0.1", port }, handle);
