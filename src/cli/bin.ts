#!/usr/bin/env node
/** The executable behind `strat`. */
import { main } from "./main.js";

process.exitCode = await main(process.argv);
