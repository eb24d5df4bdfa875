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
  report: { strategy: string; start: string; end: string; sessions: number; metrics: Record<string, unknown>; warnings: string[] };
  series: { dates: string[]; equity: number[]; benchmark: number[] | null; drawdown: number[] };
}

export const api = {
  files: () => request<{ root: string; files: string[] }>("GET", "/api/files"),
  read: (path: string) => request<{ path: string; text: string }>("GET", `/api/file?path=${encodeURIComponent(path)}`),
  save: (path: string, text: string) => request<{ path: string; bytes: number }>("PUT", "/api/file", { path, text }),
  backtest: (path: string, text: string) => request<BacktestReply>("POST", "/api/backtest", { path, text }),
};
