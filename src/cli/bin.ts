#!/usr/bin/env node
/** The executable behind `strat`. */
import { createHash } from "node:crypto";
import { useNativeSha256 } from "../ir/sha256.js";
import { main } from "./main.js";

// IR and data hashes over megabytes of text: Node's digest is an order of magnitude faster.
useNativeSha256((text) => createHash("sha256").update(text, "utf8").digest("hex"));

process.exitCode = await main(process.argv);
