/** The editor server's JSON API, typed. */

/** An error the server answered with (its message is meant for the user). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new ApiError(response.status, typeof json.error === "string" ? json.error : response.statusText, json);
  return json as T;
}

/** The backtest endpoint's answer. */
export interface BacktestReply {
  report: {
    strategy: string;
    start: string;
    end: string;
    sessions: number;
    params: Record<string, number>;
    data: { provider: string; source: string };
    metrics: Record<string, unknown>;
    warnings: string[];
  };
  series: {
    dates: string[];
    equity: number[];
    benchmark: number[] | null;
    drawdown: number[];
    /** Weights at each close, downsampled: `weights[k][i]` is `tickers[k]` on `dates[i]`. */
    allocation: { dates: string[]; tickers: string[]; weights: number[][] };
  };
}

/** A node of the explain endpoint's decision tree (src/engine/explain.ts). */
export interface ExplainNode {
  kind: string;
  label: string;
  at: string | null;
  share: number;
  allocation: Record<string, number>;
  condition?: { text: string; holds: boolean; terms: { text: string; value: number; display: string }[] };
  candidates?: { name: string; score: number | null; display: string; selected: boolean }[];
  children: ExplainNode[];
}

/** The explain endpoint's answer: the tree plus the open file's lines it went through. */
export interface ExplainReply {
  strategy: string;
  date: string;
  weights: Record<string, number>;
  tree: ExplainNode;
  lines: number[];
}

/** A ticker's range in the local data. */
export interface TickerReply {
  ticker: string;
  first: string | null;
  last: string | null;
  bars: number;
}

/** A data source the backtest can run on (GET /api/data). */
export interface DataSourceInfo {
  id: "synthetic" | "cache";
  label: string;
  /** The first and last session it holds (the cache: over all its tickers), or null when unknown. */
  first: string | null;
  last: string | null;
}

/**
 * What the backtest picker chose: data source, date range (empty: the data's whole range) and
 * param values as written (`"15%"`, `"30"`), converted by the server exactly as `--param`.
 */
export interface RunSettings {
  data: DataSourceInfo["id"];
  from?: string;
  to?: string;
  params: Record<string, string>;
}

/** An imported file as the server resolves it for the importing file. */
export interface ResolvedFile {
  file: string;
  text: string;
  /** A file bundled with strat (stdlib), not part of the workspace. */
  readOnly: boolean;
}

export const api = {
  files: () => request<{ root: string; files: string[] }>("GET", "/api/files"),
  read: (path: string) => request<{ path: string; text: string }>("GET", `/api/file?path=${encodeURIComponent(path)}`),
  save: (path: string, text: string) => request<{ path: string; bytes: number }>("PUT", "/api/file", { path, text }),
  resolve: (path: string, from: string) => request<ResolvedFile>("GET", `/api/resolve?path=${encodeURIComponent(path)}&from=${encodeURIComponent(from)}`),
  dataSources: () => request<{ sources: DataSourceInfo[] }>("GET", "/api/data"),
  backtest: (path: string, text: string, settings?: RunSettings) => request<BacktestReply>("POST", "/api/backtest", { path, text, ...settings }),
  explain: (path: string, text: string, date: string, settings?: RunSettings) => request<ExplainReply>("POST", "/api/explain", { path, text, date, ...settings }),
  ticker: (ticker: string) => request<TickerReply>("GET", `/api/ticker/${encodeURIComponent(ticker)}`),
};
