/** Strategy settings: `rebalance`, `benchmark`, `warmup`, `trade at`. Each at most once. */
import type { Setting } from "../ast.js";
import { percentTextToFraction } from "../decimal.js";
import type { Rebalance } from "../../ir/types.js";
import { didYouMean } from "../suggest.js";
import type { ElaborationContext, Env } from "./context.js";
import { elabTicker } from "./expr.js";

export interface Settings {
  rebalance: Rebalance;
  benchmark: string | null;
  warmup: { bars: number; span: Setting["span"] } | null;
  tradeAt: string | null;
}

export const REBALANCE_MODES = ["daily", "weekly", "monthly", "quarterly", "yearly", "none", "threshold"] as const;

/** Reads settings, reporting duplicates and bad values; defaults: daily, no benchmark, computed warm-up. */
export function elabSettings(ctx: ElaborationContext, settings: Setting[], env: Env): Settings {
  const out: Settings = { rebalance: { mode: "daily" }, benchmark: null, warmup: null, tradeAt: null };
  const seen = new Set<string>();
  for (const setting of settings) {
    if (seen.has(setting.kind)) {
      ctx.report(env, "duplicateSetting", setting.span, `'${setting.kind === "trade_at" ? "trade at" : setting.kind}' is already set in this strategy`);
      continue;
    }
    seen.add(setting.kind);
    switch (setting.kind) {
      case "rebalance": {
        const mode = setting.mode.name;
        if (!(REBALANCE_MODES as readonly string[]).includes(mode)) {
          ctx.report(env, "unknownRebalance", setting.mode.span, `unknown rebalance mode '${mode}'${didYouMean(mode, REBALANCE_MODES)}`, {
            hint: `modes: ${REBALANCE_MODES.join(", ")} (threshold takes a percent, e.g. threshold 5%)`,
          });
          break;
        }
        if (mode === "threshold") {
          if (setting.threshold === null) {
            ctx.report(env, "badThreshold", setting.mode.span, "threshold needs a corridor width", { hint: "write: rebalance threshold 5%" });
            break;
          }
          if (!setting.threshold.percent) {
            const span = setting.threshold.span;
            ctx.report(env, "badThreshold", span, `the threshold is a percent: write ${setting.threshold.text}%`, {
              fix: { span: { ...span, start: span.end, col: span.endCol, line: span.endLine }, text: "%", title: `write ${setting.threshold.text}%` },
            });
            break;
          }
          const fraction = percentTextToFraction(setting.threshold.text);
          if (!(fraction > 0 && fraction < 1)) {
            ctx.report(env, "badThreshold", setting.threshold.span, `the threshold must be between 0% and 100%, not ${setting.threshold.text}%`);
            break;
          }
          out.rebalance = { mode: "threshold", threshold: fraction };
        } else if (setting.threshold !== null) {
          ctx.report(env, "unknownRebalance", setting.threshold.span, `'${mode}' takes no percent; only 'threshold' does`);
        } else {
          out.rebalance = { mode: mode as Exclude<Rebalance["mode"], "threshold"> };
        }
        break;
      }
      case "benchmark": {
        const ticker = elabTicker(ctx, setting.ticker, env);
        if (ticker !== null) out.benchmark = ticker;
        break;
      }
      case "warmup": {
        const bars = setting.bars.value;
        if (setting.bars.percent || !Number.isInteger(bars) || bars < 1) {
          ctx.report(env, "badWarmup", setting.bars.span, `warmup is a whole number of bars (at least 1), not ${setting.bars.text}${setting.bars.percent ? "%" : ""}`);
          break;
        }
        out.warmup = { bars, span: setting.span };
        break;
      }
      case "trade_at": {
        const match = /^(\d{1,2}):(\d{2})$/.exec(setting.time);
        const minutes = match === null ? -1 : Number(match[1]) * 60 + Number(match[2]);
        if (match === null || Number(match[1]) > 23 || Number(match[2]) > 59) {
          ctx.report(env, "badTime", setting.timeSpan, `${setting.time} is not a valid time`, { hint: "write HH:MM, e.g. 15:50" });
          break;
        }
        if (minutes < 9 * 60 + 30 || minutes > 16 * 60) {
          ctx.report(env, "badTime", setting.timeSpan, `trade at ${setting.time} is not within the regular session (09:30–16:00 New York)`, {
            hint: "the default is 15:50",
          });
          break;
        }
        out.tradeAt = `${match[1]!.padStart(2, "0")}:${match[2]}`;
        break;
      }
    }
  }
  return out;
}
