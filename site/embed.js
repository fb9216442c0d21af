// @ts-check
/**
 * The embed view (embed.html): a compact tokenlab view for documentation
 * pages, driven entirely by the URL fragment (never sent to any server):
 *
 *   #token=eyJ…          the token to show (required unless scenario=)
 *   &mode=explain        decode | explain (default) | verify
 *   &key=…               verify with this public JWK, JWKS or PEM
 *   &secret=…            or with this HMAC secret (only if the author put it there)
 *   &iss= &aud= &nonce= &client_id= &kind= &leeway=   verify expectations
 *   &htm= &htu= &access_token=   a DPoP proof's request (RFC 9449): verify
 *                        needs no key= then, the proof carries its own
 *   &require_kb=1        an SD-JWT must have a Key Binding JWT (RFC 9901 §7.3)
 *   &now=1768471200      a fixed clock (Unix seconds) for stable screenshots
 *   &theme=auto          light | dark | auto (the reader's system setting)
 *   &view=compact        compact (the default of explain and verify: verdict,
 *                        summary, key claims, "Show all") | full
 *   #scenario=expired    a documentation scenario instead (scenarios.js)
 *
 * It renders with the playground's own elements, re-renders when the
 * fragment changes (the <token-playground> element changes only the
 * fragment, so the engine stays warm), and posts
 * {type: "tokenlab:resize", height} to its parent whenever its height
 * changes. It posts nothing else and requests nothing from any other origin
 * (its CSP has connect-src 'self').
 *
 * It is over 400 lines because the embed is a page of its own: it reads its
 * fragment into a plan, renders each mode in its full and compact views
 * from the playground's elements, and reports its height to the parent;
 * the compact rows live in embed-compact.js.
 */
import { tokenlab } from "./tokenlab.js";
import { SCENARIOS } from "./scenarios.js";
import { tokenURL } from "./share.js";
import { h } from "./elements/base.js";
import { findingsOf } from "./elements/tl-findings.js";
import { SD_JWT_FINDINGS } from "./elements/tl-sd-jwt.js";
import { defineElements } from "./elements/index.js";
import { compactSkeleton, compactView } from "./embed-compact.js";

defineElements();

/** @typedef {import("./elements/tl-findings.js").TlFindings} TlFindings */
/** @typedef {import("./elements/tl-kind-summary.js").TlKindSummary} TlKindSummary */
/** @typedef {import("./elements/tl-claims-table.js").TlClaimsTable} TlClaimsTable */
/** @typedef {import("./elements/tl-purpose.js").TlPurpose} TlPurpose */
/** @typedef {import("./elements/tl-verdict.js").TlVerdict} TlVerdict */

/** @typedef {import("./scenarios.js").Step} Step */
/** @typedef {{ title?: string, summary?: string, now?: number, steps: Step[], message?: string, view?: View }} Plan */
/** @typedef {"compact" | "full"} View */

const MODES = ["decode", "explain", "verify"];

/**
 * The view a token embed shows: compact unless full is asked for, in
 * explain and verify mode; decode has one view.
 * @param {string | null} asked @param {Step["mode"]} mode @returns {View}
 */
function viewFor(asked, mode) {
  return mode !== "decode" && asked !== "full" ? "compact" : "full";
}

/** @param {string} id @returns {HTMLElement} */
function $(id) {
  return /** @type {HTMLElement} */ (document.getElementById(id));
}

const root = $("embed-root");
const view = $("embed-view");
const status = $("embed-status");
const open = /** @type {HTMLAnchorElement} */ ($("embed-open"));
const stepTemplate = /** @type {HTMLTemplateElement} */ ($("step-template"));

/**
 * What the fragment asks for. Each source reads its own parameter; flow=
 * (a sign-in flow view) says that an embed cannot show one yet.
 * @type {[string, (p: URLSearchParams) => Plan][]}
 */
const SOURCES = [
  ["scenario", fromScenario],
  ["flow", () => ({ steps: [], message: "This version of tokenlab cannot show sign-in flows in an embed yet." })],
  ["token", fromToken],
];

/** @param {URLSearchParams} p @returns {Plan} */
function fromScenario(p) {
  const id = p.get("scenario") ?? "";
  const s = SCENARIOS[id];
  if (!s) {
    return { steps: [], message: `There is no scenario “${id}”. tokenlab has: ${Object.keys(SCENARIOS).join(", ")}.` };
  }
  return { title: s.title, summary: s.summary, now: s.now, steps: s.steps };
}

/** @param {URLSearchParams} p @returns {Plan} */
function fromToken(p) {
  const token = (p.get("token") ?? "").trim();
  if (!token) return { steps: [], message: "The token= parameter is empty: paste a JWT after token= in this embed's URL." };
  const asked = p.get("mode") ?? "explain";
  const key = p.get("key") ?? p.get("secret") ?? "";
  /** @type {Step["mode"]} */
  let mode = /** @type {any} */ (MODES.includes(asked) ? asked : "explain");
  /** @type {Step} */
  const step = { token, mode, expect: {} };
  // A DPoP proof is checked with the key in its own header.
  const proof = p.get("kind") === "dpop_proof" || p.has("htm") || p.has("htu");
  if (mode === "verify") {
    if (!key && !proof) {
      step.mode = "explain";
      step.note = "To verify, the embed needs the issuer's public key: add key=<JWK, JWKS or PEM> to its URL.";
    } else {
      /** @type {Record<string, any>} */
      const verify = key ? { key } : {};
      for (const [param, opt] of [["iss", "issuer"], ["aud", "audience"], ["nonce", "nonce"], ["client_id", "clientId"], ["kind", "kind"], ["htm", "htm"], ["htu", "htu"], ["access_token", "accessToken"]]) {
        const v = p.get(param);
        if (v) verify[opt] = v;
      }
      if (p.get("require_kb") === "1" || p.get("require_kb") === "true") verify.requireKeyBinding = true;
      const leeway = Number(p.get("leeway"));
      if (leeway > 0) verify.leeway = leeway;
      step.verify = /** @type {any} */ (verify);
    }
  }
  const now = Number(p.get("now"));
  return { steps: [step], now: Number.isFinite(now) && now > 0 ? now : undefined, view: viewFor(p.get("view"), step.mode) };
}

/** @param {URLSearchParams} p @returns {Plan} */
function planFor(p) {
  for (const [param, source] of SOURCES) {
    if (p.has(param)) return source(p);
  }
  return { steps: [], message: "No token to show. Put one in this page's URL fragment: embed.html#token=eyJ…&mode=explain (see embed-docs.html)." };
}

let renderSeq = 0;

async function render() {
  const seq = ++renderSeq;
  const p = new URLSearchParams(location.hash.slice(1));
  applyTheme(p.get("theme"));
  const plan = planFor(p);
  root.dataset.state = "rendering";
  const sections = [];
  if (plan.title) {
    const head = h("header", "embed-head");
    head.append(h("h1", "embed-title", plan.title));
    if (plan.summary) head.append(h("p", "embed-summary", plan.summary));
    if (plan.now) head.append(h("p", "embed-clock", `Fixed clock: ${clock(plan.now)}`));
    sections.push(head);
  }
  if (plan.message) {
    sections.push(h("p", "notice", plan.message));
  }
  const steps = plan.steps.map((step) => buildStep(step, plan.steps.length > 1 || !!plan.title, plan.view ?? "full"));
  sections.push(...steps.map((s) => s.el));
  view.replaceChildren(...sections);
  // Each step shows its own placeholder, at the height of what replaces it.
  showStatus(steps.length ? "" : "Starting tokenlab…");
  const last = plan.steps.at(-1);
  open.href = last?.token ? tokenURL(new URL("./", location.href), { token: last.token, key: keyText(last.verify?.key), issuer: last.verify?.issuer, audience: last.verify?.audience, nonce: last.verify?.nonce, clientId: last.verify?.clientId, kind: last.verify?.kind, htm: last.verify?.htm, htu: last.verify?.htu, accessToken: last.verify?.accessToken, requireKeyBinding: last.verify?.requireKeyBinding }) : new URL("./", location.href).href;
  try {
    await tokenlab.ready;
  } catch (err) {
    showStatus(messageOf(err));
    root.dataset.state = "failed";
    return;
  }
  if (seq !== renderSeq) return;
  showStatus("");
  const later = await Promise.all(steps.map((s) => s.run(plan.now)));
  if (seq !== renderSeq) return;
  // The token is on screen; what its disclosures hold follows the paint.
  root.dataset.state = "shown";
  await afterPaint();
  if (seq !== renderSeq) return;
  for (const fill of later) fill?.();
  root.dataset.state = "ready";
}

/**
 * Resolves once the next frame has been painted, or after 100 ms in a
 * frame the browser does not paint (an offscreen frame of another origin
 * gets no animation frames until it is scrolled into view).
 */
function afterPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100);
  });
}

/** @param {string} text */
function showStatus(text) {
  status.textContent = text;
  status.hidden = !text;
}

/** @param {string | null} theme */
function applyTheme(theme) {
  const el = document.documentElement;
  if (theme === "light" || theme === "dark") el.dataset.theme = theme;
  else delete el.dataset.theme;
}

/** @param {unknown} key */
function keyText(key) {
  if (key === undefined || key === null) return "";
  return typeof key === "string" ? key : JSON.stringify(key, null, 2);
}

/** @param {number} now */
function clock(now) {
  return new Date(now * 1000).toISOString().replace("T", " ").replace(/:00\.000Z$/, " UTC").replace(/\.000Z$/, " UTC");
}

/** @param {unknown} err */
function messageOf(err) {
  return err && typeof err === "object" && "message" in err ? String(/** @type {any} */ (err).message) : String(err);
}

/**
 * Builds one step's section now and returns a function that fills it from
 * the engine.
 * @param {Step} step
 * @param {boolean} titled whether the step shows its own title
 * @param {View} shown the view of an explained token
 */
function buildStep(step, titled, shown) {
  const el = /** @type {HTMLElement} */ (/** @type {DocumentFragment} */ (stepTemplate.content.cloneNode(true)).firstElementChild);
  el.dataset.mode = step.mode;
  const compact = step.mode !== "decode" && shown === "compact";
  el.dataset.view = compact ? "compact" : "full";
  const q = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (el.querySelector(sel));
  if (titled && step.title) {
    q(".embed-step-title").textContent = step.title;
    q(".embed-step-title").hidden = false;
  }
  if (step.note) {
    q(".embed-step-note").textContent = step.note;
    q(".embed-step-note").hidden = false;
  }
  const details = /** @type {HTMLDetailsElement} */ (q(".embed-token"));
  details.hidden = !step.token;
  details.open = step.mode === "decode";
  q(".embed-token-peek").textContent = step.token.length > 48 ? `${step.token.slice(0, 48)}…` : step.token;
  q("tl-token-view").setAttribute("token", step.token);
  q("tl-copy-button").setAttribute("value", step.token);
  const result = q(".embed-result");
  if (step.token) result.replaceChildren(placeholder(step.mode, compact, !!step.verify));

  /**
   * Fills the step from the engine; returns what to do after the first
   * paint, if anything.
   * @param {number | undefined} now
   * @returns {Promise<(() => void) | undefined>}
   */
  async function run(now) {
    if (!step.token) return;
    const error = q(".embed-error");
    /** @type {(() => void) | undefined} */
    let later;
    try {
      if (step.mode === "decode") {
        const d = await tokenlab.decode(step.token);
        result.replaceChildren(...decoded(d), ...sdJwtView(d, null));
      } else if (compact) {
        const opts = now ? { now } : {};
        const { decoded: d, explanation: e } = await tokenlab.inspect(step.token, opts);
        const r = step.mode === "verify" && step.verify ? await tokenlab.verify(step.token, { ...step.verify, ...opts }) : undefined;
        el.dataset.kind = e.kind;
        if (r) {
          el.dataset.valid = String(r.valid);
          el.dataset.verdict = r.verdict;
        }
        q(".embed-token-label").textContent = e.purpose?.title || "Token";
        const view = compactView(d, e, (label) => more(label), () => r ? [verdict(r), ...everything(d, e)] : everything(d, e), r);
        result.replaceChildren(view.box);
        later = view.fill;
      } else {
        const opts = now ? { now } : {};
        // One inspect call: its decoding (null for an opaque token) and its explanation.
        const { decoded: d, explanation: e } = await tokenlab.inspect(step.token, opts);
        el.dataset.kind = e.kind;
        q(".embed-token-label").textContent = e.purpose?.title || "Token";
        /** @type {HTMLElement[]} */
        const parts = [summary(e)];
        if (step.mode === "verify" && step.verify) {
          const r = await tokenlab.verify(step.token, { ...step.verify, ...opts });
          el.dataset.valid = String(r.valid);
          el.dataset.verdict = r.verdict;
          parts.push(verdict(r));
          parts.push(more("Claims", claims(e, "payload"), claims(e, "header")));
          parts.push(...sdJwtView(d, e, true));
        } else {
          parts.push(findingsList(d, e), claims(e, "payload"), more("Header", claims(e, "header", false)));
          parts.push(...sdJwtView(d, e));
          if (e.purpose) parts.push(more("Who is this token for?", purposeOf(e.purpose)));
        }
        result.replaceChildren(...parts);
      }
      error.hidden = true;
    } catch (err) {
      el.dataset.error = /** @type {any} */ (err)?.code ?? "error";
      error.textContent = messageOf(err);
      error.hidden = false;
      result.replaceChildren();
    }
    return later;
  }
  return { el, run };
}

/**
 * What a step shows until the engine answers, as tall as what replaces it
 * where that is known (compact explain, decode): embed.css sizes each.
 * @param {Step["mode"]} mode @param {boolean} compact @param {boolean} verify
 */
function placeholder(mode, compact, verify) {
  if (compact) return compactSkeleton(verify);
  const box = h("div", `embed-wait embed-wait-${mode}`);
  box.setAttribute("aria-busy", "true");
  if (mode !== "decode") {
    box.append(h("p", "compact-wait", "Starting tokenlab…"));
    return box;
  }
  box.append(...decoded({ header: "", payload: "" }));
  box.querySelectorAll("pre").forEach((pre, i) => {
    pre.textContent = i ? "\u00a0" : "Starting tokenlab…";
    pre.classList.add("compact-wait");
    pre.tabIndex = -1;
  });
  return box;
}

/**
 * Everything the compact view keeps behind "Show all": findings, every
 * claim, the header, an SD-JWT's disclosures and who the token is for.
 * @param {any} d @param {any} e
 */
function everything(d, e) {
  /** @type {HTMLElement[]} */
  const out = [findingsList(d, e), claims(e, "payload"), claims(e, "header"), ...sdJwtView(d, e)];
  if (e.purpose) out.push(purposeOf(e.purpose));
  return out;
}

/** @param {any} d */
function decoded(d) {
  /** @type {HTMLElement[]} */
  const out = [];
  for (const [label, part, value] of /** @type {[string, string, unknown][]} */ ([["Header", "header", d.header], ["Payload", "payload", d.payload]])) {
    const box = h("div", "embed-json");
    const title = h("h3", "table-title");
    title.append(h("span", `seg-${part}`, label));
    const pre = h("pre", "code", value === null ? "(encrypted: only the recipient can read it)" : typeof value === "string" ? value : JSON.stringify(value, null, 2));
    pre.tabIndex = 0;
    box.append(title, pre);
    out.push(box);
  }
  if (d.warnings?.length) {
    const f = /** @type {TlFindings} */ (document.createElement("tl-findings"));
    f.findings = d.warnings.map((/** @type {string} */ message, /** @type {number} */ i) => ({ id: `decode-${i}`, severity: "warn", message }));
    out.push(f);
  }
  return out;
}

/**
 * An SD-JWT's disclosures, processed payload and Key Binding JWT, with the
 * playground's own <tl-sd-jwt>; nothing for any other token.
 * @param {any} d the decoding @param {any} e the explanation, or null
 * @param {boolean} [collapsed] inside a closed "Disclosures" section
 */
function sdJwtView(d, e, collapsed = false) {
  if (d?.format !== "SD-JWT") return [];
  const v = /** @type {import("./elements/tl-sd-jwt.js").TlSdJwt} */ (document.createElement("tl-sd-jwt"));
  v.decoded = d;
  v.findings = e?.findings ?? [];
  return [collapsed ? more("Disclosures", v) : v];
}

/** @param {any} e */
function summary(e) {
  const s = /** @type {TlKindSummary} */ (document.createElement("tl-kind-summary"));
  s.explanation = e;
  return s;
}

/** @param {any} d @param {any} e */
function findingsList(d, e) {
  const f = /** @type {TlFindings} */ (document.createElement("tl-findings"));
  // An SD-JWT's view states what selective disclosure hides itself.
  f.findings = findingsOf(d, e).filter((x) => d?.format !== "SD-JWT" || !SD_JWT_FINDINGS.includes(x.id));
  return f;
}

/** @param {any} e @param {"header" | "payload"} where @param {boolean} [captioned] */
function claims(e, where, captioned = true) {
  const t = /** @type {TlClaimsTable} */ (document.createElement("tl-claims-table"));
  t.setAttribute("where", where);
  if (captioned) t.setAttribute("caption", where === "header" ? "Header" : "Payload");
  t.claims = e.claims ?? [];
  return t;
}

/** @param {any} purpose */
function purposeOf(purpose) {
  const p = /** @type {TlPurpose} */ (document.createElement("tl-purpose"));
  p.purpose = purpose;
  return p;
}

/**
 * The verdict in one of its three states (valid, issuer and audience not
 * compared, not valid), its warnings and every check.
 * @param {import("./elements/tl-verdict.js").VerifyResult} r
 */
function verdict(r) {
  const v = /** @type {TlVerdict} */ (document.createElement("tl-verdict"));
  v.result = r;
  return v;
}

/**
 * A collapsed section.
 * @param {string} label
 * @param {...HTMLElement} content
 */
function more(label, ...content) {
  const d = h("details", "embed-more");
  d.append(h("summary", "", label), ...content);
  return d;
}

// ------------------------------------------------------------- sizing

/**
 * Tells the parent page how tall the view is, so it can size the iframe
 * to fit without a scrollbar. Only the height goes out.
 */
function watchHeight() {
  if (window.parent === window) return;
  let last = -1;
  const post = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "tokenlab:resize", height }, "*");
  };
  // Only once laid out: the elements in the placeholder render in a
  // microtask, so a height read now would be too small.
  new ResizeObserver(post).observe(root);
}

addEventListener("hashchange", () => render());
// render() lays out the placeholders before its first await, so the first
// height the parent hears is already the height of the rendered view.
render();
watchHeight();
