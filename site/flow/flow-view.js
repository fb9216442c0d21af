// @ts-check
/**
 * DOM builders for the sign-in flow: the sequence diagram's lanes and the
 * blocks of a step's detail card (HTTP messages, parameter tables,
 * computations, checklists, tokens). Every value goes in with textContent.
 */
import { h } from "../elements/base.js";
import { ACTORS } from "./flow-engine.js";

/** @typedef {import("./flow-engine.js").Block} Block */
/** @typedef {import("./flow-engine.js").Lane} Lane */
/** @typedef {import("./flow-engine.js").Step} Step */
/** @typedef {import("../elements/tl-verdict.js").TlVerdict} TlVerdict */
/** @typedef {import("../elements/tl-checklist.js").TlChecklist} TlChecklist */

const INDEX = Object.fromEntries(ACTORS.map((a, i) => [a.id, i + 1]));
const NAME = Object.fromEntries(ACTORS.map((a) => [a.id, a.name]));

/** Small pictograms for the actors (aria-hidden; the name is text). */
const ICONS = /** @type {Record<string, string>} */ ({
  browser: "M3 5h18v14H3zM3 9h18M6 7h.01M8.5 7h.01",
  client: "M7 3h10v18H7zM11 18h2",
  as: "M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6zM9 12l2 2 4-4",
  api: "M4 5h16v5H4zM4 14h16v5H4zM7.5 7.5h.01M7.5 16.5h.01",
});

/** @param {string} id */
export function actorIcon(id) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "flow-icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[id] ?? "");
  svg.append(path);
  return svg;
}

/** The actors' header row of the sequence diagram. */
export function actorRow() {
  const row = h("div", "seq-actors");
  row.setAttribute("role", "list");
  row.setAttribute("aria-label", "Who takes part");
  for (const a of ACTORS) {
    const cell = h("div", `seq-actor actor-${a.id}`);
    cell.setAttribute("role", "listitem");
    cell.dataset.actor = a.id;
    const name = h("span", "seq-actor-name");
    name.append(h("span", "long", a.name), h("span", "short", "short" in a ? a.short : a.name));
    cell.append(actorIcon(a.id), name, h("span", "seq-actor-role", a.role));
    row.append(cell);
  }
  return row;
}

/**
 * One message of the sequence diagram: an arrow from one actor's lifeline
 * to another's (or a note on one lifeline), with its label.
 * @param {Lane} lane
 * @param {{ current?: boolean, n?: number }} [opts]
 */
export function laneRow(lane, { current = false, n } = {}) {
  const a = INDEX[lane.from];
  const b = INDEX[lane.to];
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const self = a === b;
  const li = h("li", `seq-lane${self ? " self" : b < a ? " leftward" : " rightward"}${lane.style ? ` ${lane.style}` : ""}${current ? " current" : ""}`);
  // Geometry through CSSOM (the CSP forbids style attributes).
  li.style.setProperty("--from", String(lo));
  li.style.setProperty("--to", String(hi + 1));
  li.style.setProperty("--span", String(hi - lo + 1));
  if (n) li.dataset.step = String(n);
  const route = self ? `${NAME[lane.from]}` : `${NAME[lane.from]} → ${NAME[lane.to]}`;
  const label = h("span", "seq-label");
  if (n) label.append(h("span", "seq-n", String(n)));
  label.append(h("span", "seq-text", lane.label));
  const line = h("span", "seq-line");
  line.setAttribute("aria-hidden", "true");
  li.append(h("span", "sr-only", `${route}: `), label, line);
  return li;
}

/**
 * A checklist block: verdict, the call that produced it, the checks. An
 * engine block's verdict is a <tl-verdict> (the same three states as the
 * playground and the embeds) with the recipient's decision as its lead;
 * a simulated block's is the sentence it carries.
 * @param {Extract<Block, {type: "checks"}>} b
 */
function checksBlock(b) {
  const box = h("div", `flow-block flow-checks ${b.valid ? "ok" : "fail"}`);
  box.dataset.source = b.source;
  const head = h("div", "block-head");
  head.append(h("h4", "", b.title), h("span", `source source-${b.source}`, b.source === "engine" ? "tokenlab verify" : "simulated in JS"));
  /** @type {HTMLElement} */
  let verdict;
  if (typeof b.verdict === "object") {
    const v = /** @type {TlVerdict} */ (document.createElement("tl-verdict"));
    v.lead = b.verdict.lead;
    v.show = "none"; // the checklist follows the call
    v.result = b.verdict.result;
    verdict = v;
  } else {
    verdict = h("p", `verdict ${b.valid ? "ok" : "fail"}`, b.verdict);
  }
  const call = h("code", "flow-call", b.call);
  const list = /** @type {TlChecklist} */ (document.createElement("tl-checklist"));
  list.checks = b.checks;
  box.append(head, verdict, call, list);
  return box;
}

/**
 * Builds the element for one block of a step.
 * @param {Block} b
 * @returns {HTMLElement}
 */
export function renderBlock(b) {
  switch (b.type) {
    case "http": {
      const box = h("figure", "flow-block flow-http");
      const cap = h("figcaption", "block-head");
      const title = h("div", "block-title");
      title.append(h("h4", "", b.title), h("span", "route", b.route));
      const copy = document.createElement("tl-copy-button");
      copy.setAttribute("value", b.text);
      copy.setAttribute("label", "Copy");
      copy.className = "flow-copy";
      cap.append(title, copy);
      const pre = h("pre", "code flow-pre", b.text);
      pre.tabIndex = 0;
      pre.setAttribute("aria-label", `${b.title}: ${b.route}`);
      box.append(cap, pre);
      if (b.note) box.append(h("p", "block-note", b.note));
      return box;
    }
    case "params": {
      const box = h("div", "flow-block flow-params");
      box.append(h("h4", "", b.title));
      const table = h("table", "params");
      const thead = h("thead");
      const tr = h("tr");
      for (const t of ["Parameter", "Value", "Why"]) tr.append(h("th", "", t));
      thead.append(tr);
      const tbody = h("tbody");
      for (const row of b.rows) {
        const r = h("tr");
        r.dataset.param = row.name;
        const name = h("th", "");
        name.scope = "row";
        name.append(h("code", "", row.name));
        const val = h("td", "param-value");
        val.append(h("code", "", row.value));
        r.append(name, val, h("td", "param-why", row.meaning));
        tbody.append(r);
      }
      table.append(thead, tbody);
      box.append(table);
      return box;
    }
    case "compute": {
      const box = h("div", "flow-block flow-compute");
      const head = h("div", "block-head");
      head.append(h("h4", "", b.title));
      if (b.ref) head.append(h("span", "ref", b.ref));
      const dl = h("dl", "compute");
      for (const row of b.rows) {
        const div = h("div", row.ok === true ? "match" : row.ok === false ? "mismatch" : "");
        if (row.field) div.dataset.field = row.field;
        const dd = h("dd");
        dd.append(h("code", "", row.value));
        if (row.ok !== undefined) {
          const mark = h("span", "mark", row.ok ? "✓ matches" : "✗ differs");
          dd.append(" ", mark);
        }
        div.append(h("dt", "", row.label), dd);
        dl.append(div);
      }
      box.append(head, dl);
      return box;
    }
    case "facts": {
      const box = h("div", "flow-block flow-facts");
      box.append(h("h4", "", b.title));
      const dl = h("dl", "facts-list");
      for (const [k, v] of b.rows) {
        const div = h("div");
        const dt = h("dt");
        dt.append(h("code", "", k));
        div.append(dt, h("dd", "", v));
        dl.append(div);
      }
      box.append(dl);
      return box;
    }
    case "tokens": {
      const box = h("div", "flow-block flow-tokens");
      box.append(h("h4", "", b.title));
      const grid = h("div", "token-grid");
      for (const t of b.tokens) {
        const el = document.createElement("tl-flow-token");
        el.setAttribute("kind", t.kind);
        el.setAttribute("token", t.token);
        el.setAttribute("label", t.label);
        el.setAttribute("note", t.note);
        if (t.opaque) el.setAttribute("opaque", "");
        grid.append(el);
      }
      box.append(grid);
      return box;
    }
    case "checks":
      return checksBlock(b);
    case "code": {
      const box = h("figure", "flow-block flow-code");
      const cap = h("figcaption", "block-head");
      cap.append(h("h4", "", b.title));
      const pre = h("pre", "code flow-pre", b.text);
      pre.tabIndex = 0;
      box.append(cap, pre);
      return box;
    }
    case "note":
      return h("p", `flow-block flow-note tone-${b.tone}`, b.text);
  }
  return h("div");
}

/**
 * The refs of a step as a list of chips.
 * @param {string[]} refs
 */
export function refList(refs) {
  const ul = h("ul", "flow-refs");
  ul.setAttribute("aria-label", "Specifications");
  for (const r of refs) ul.append(h("li", "", r));
  return ul;
}
