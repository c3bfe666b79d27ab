#!/usr/bin/env node
// The package's command (package.json "bin"): see cli/main.js.
import { main } from "../cli/main.js";

process.exitCode = await main(process.argv.slice(2));
