/** The local web server behind `strat editor`: see server.ts. */
export { startEditorServer, type EditorServer, type EditorServerOptions } from "./server.js";
export { resolveInside, listSources } from "./paths.js";
