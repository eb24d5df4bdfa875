/**
 * The backtest panel's settings form: data source, date range and the file's params. Inputs are
 * bounded by what the declarations allow (`in MIN..MAX step S` → a number input with those
 * bounds, `in [A, B]` → a choice, no range → fixed) but not enforced here: the server validates
 * every value and its message is what the panel shows, so the page and `strat backtest --param`
 * can never disagree about what is allowed.
 */
import type { DataSourceInfo, RunSettings } from "./api.js";
import type { ParamSymbol } from "./protocol.js";

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** A param's identity for the form: when the declaration changes, its input starts over. */
const signature = (p: ParamSymbol): string => `${p.name}=${p.value} ${p.domain ?? ""}`;

/** The settings form; `onRun` is called with the chosen settings on submit. */
export class BacktestPicker {
  readonly form: HTMLFormElement;
  private readonly data = element("select", { name: "data" });
  private readonly from = element("input", { type: "date", name: "from" });
  private readonly to = element("input", { type: "date", name: "to" });
  private readonly params = element("fieldset", { className: "params" });
  private sources: DataSourceInfo[] = [{ id: "synthetic", label: "Synthetic", first: null, last: null }];
  private declared: ParamSymbol[] = [];
  /** Values typed per param signature, kept across re-renders of the same declarations. */
  private readonly typed = new Map<string, string>();

  constructor(onRun: (settings: RunSettings) => void) {
    this.data.onchange = () => this.applyBounds();
    const reset = element("button", { type: "button", className: "reset", textContent: "Defaults" });
    reset.onclick = () => this.reset();
    this.form = element(
      "form",
      { id: "run-settings", className: "picker" },
      element("label", {}, "Data ", this.data),
      element("label", {}, "From ", this.from),
      element("label", {}, "To ", this.to),
      this.params,
      element("div", { className: "actions" }, element("button", { type: "submit", id: "run-picked", textContent: "Run" }), reset),
    );
    // The inputs' bounds guide; the server decides (the browser's own check would block the run silently).
    this.form.noValidate = true;
    this.form.onsubmit = (event) => {
      event.preventDefault();
      onRun(this.settings());
    };
    this.renderSources();
  }

  /** Offers `sources` (the first is the default). */
  setSources(sources: DataSourceInfo[]): void {
    if (sources.length === 0) return;
    this.sources = sources;
    this.renderSources();
  }

  private renderSources(): void {
    const chosen = this.data.value;
    this.data.replaceChildren(...this.sources.map((s) => element("option", { value: s.id, textContent: s.first === null ? s.label : `${s.label}: ${s.first} → ${s.last}` })));
    if (this.sources.some((s) => s.id === chosen)) this.data.value = chosen;
    this.applyBounds();
  }

  /** Date inputs limited to the chosen source's range, which is also their placeholder. */
  private applyBounds(): void {
    const source = this.sources.find((s) => s.id === this.data.value) ?? this.sources[0]!;
    for (const input of [this.from, this.to]) {
      input.min = source.first ?? "";
      input.max = source.last ?? "";
    }
    this.from.title = `empty: from the first session${source.first === null ? "" : ` the strategy can trade after ${source.first}`}`;
    this.to.title = `empty: to the last session${source.last === null ? "" : ` (${source.last})`}`;
  }

  /** Shows the file's params; values typed for an unchanged declaration are kept. */
  setParams(params: ParamSymbol[]): void {
    if (params.map(signature).join("\n") === this.declared.map(signature).join("\n") && this.params.childElementCount > 0) return;
    this.declared = params;
    const rows = params.map((p) => this.paramRow(p));
    this.params.replaceChildren(element("legend", { textContent: params.length === 0 ? "No params" : "Params" }), ...rows);
  }

  private paramRow(p: ParamSymbol): HTMLLabelElement {
    const { input: spec } = p;
    const value = this.typed.get(signature(p)) ?? spec.value;
    let control: HTMLInputElement | HTMLSelectElement;
    if (spec.choices !== null) {
      control = element("select", {}, ...spec.choices.map((c) => element("option", { value: c, textContent: `${c}${spec.percent ? "%" : ""}` })));
    } else {
      control = element("input", { type: "number" });
      if (spec.interval !== null) {
        control.min = spec.interval.min;
        control.max = spec.interval.max;
        control.step = spec.interval.step ?? "any";
      } else {
        // No range: the optimizer keeps it fixed, and so does the server.
        control.readOnly = true;
        control.title = "fixed: declare a range with `in` to vary it";
      }
    }
    control.name = `param:${p.name}`;
    control.dataset.param = p.name;
    control.value = value;
    control.oninput = control.onchange = () => this.typed.set(signature(p), control.value);
    const unit = spec.percent ? "%" : "";
    const range = spec.interval !== null ? `${spec.interval.min}${unit}..${spec.interval.max}${unit}` : spec.choices !== null ? "" : "fixed";
    return element("label", { className: "param" }, element("span", { className: "name", textContent: p.name }), control, element("span", { className: "unit", textContent: unit }), element("span", { className: "range", textContent: range }));
  }

  /** Back to synthetic data, the whole range and the declared values. */
  reset(): void {
    this.typed.clear();
    this.data.value = this.sources[0]!.id;
    this.from.value = "";
    this.to.value = "";
    this.applyBounds();
    for (const p of this.declared) {
      const control = this.params.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-param="${p.name}"]`);
      if (control !== null) control.value = p.input.value;
    }
  }

  /** The chosen settings: only params whose value differs from the declaration, as `--param` would be given. */
  settings(): RunSettings {
    const params: Record<string, string> = {};
    for (const p of this.declared) {
      const control = this.params.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-param="${p.name}"]`);
      if (control === null || control.value === p.input.value) continue;
      // An unparsable number input reads as ""; sent as is, the server says what is wrong.
      params[p.name] = `${control.value.trim()}${p.input.percent && control.value.trim() !== "" ? "%" : ""}`;
    }
    const settings: RunSettings = { data: this.data.value as RunSettings["data"], params };
    if (this.from.value !== "") settings.from = this.from.value;
    if (this.to.value !== "") settings.to = this.to.value;
    return settings;
  }
}
