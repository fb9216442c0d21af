// @ts-check
/**
 * <tl-flow>: the sign-in flow simulator. It plays the OpenID Connect
 * authorization code flow with PKCE between four actors — the browser, the
 * client app, the authorization server and an API — step by step, with
 * real PKCE values, tokens minted by tokenlab and validated by tokenlab's
 * verify, and ten mistakes to try. Nothing leaves the page.
 *
 * Using it (the playground does this in flow/flow-page.js):
 *
 *   <link rel="stylesheet" href="flow/flow.css">   (after app.css)
 *   import { defineFlow } from "./elements/index.js";
 *   await defineFlow();
 *
 *   <tl-flow step="4"></tl-flow>
 *   <tl-flow step="5" mistake="id-token-to-api"></tl-flow>
 *   <tl-flow hash-links></tl-flow>   follows #flow=… in the page URL
 *
 * Attributes (the source of truth): step = 0…6 (0 is the introduction;
 * N runs steps 1…N), mistake = one of MISTAKES' ids (shown below the
 * player), hash-links = follow the URL fragment:
 *
 *   #flow=step-N          opens the simulator at step N
 *   #flow=mistake-<id>    runs the flow and that mistake, e.g.
 *                         #flow=mistake-id-token-to-api
 *
 * A link lands with the section's heading in view (a mistake's card with
 * its heading); a link to a step or mistake that does not exist says so
 * above the player rather than showing another one.
 *
 * Tokens open in the host page's inspector through the bubbling, composed
 * `tl-use-token` event ({ token, kind, to: "inspect" }) of <tl-flow-token>,
 * which the playground handles. The element reflects its progress in
 * data-state ("idle" | "running" | "ready" | "error") and exposes the
 * finished run (values, tokens, verify results) as the `run` property.
 * Set the `api` property to use another tokenlab instance.
 *
 * It is over 400 lines because it is one element with three coupled parts —
 * the player and its controls, the sequence diagram with the step card, and
 * the mistakes — that share one run and one render; the logic lives in
 * flow-engine.js and the markup builders in flow-view.js.
 */
import { TlElement, template, h } from "../elements/base.js";
import { tokenlab } from "../tokenlab.js";
import { ACTORS, MISTAKES, STEP_TITLES, WORLD, runFlow, runMistake } from "./flow-engine.js";
import { actorRow, actorIcon, laneRow, renderBlock, refList } from "./flow-view.js";

export { TlFlowToken } from "./tl-flow-token.js";

const LAST = STEP_TITLES.length;
const PLAY_DELAY = 2600;

const TEMPLATE = template(`
  <p class="flow-link-problem" role="alert" hidden></p>
  <div class="flow-player">
    <div class="flow-toolbar">
      <div class="flow-nav">
        <button type="button" class="btn" data-act="back">
          <span aria-hidden="true">←</span> Back
        </button>
        <button type="button" class="btn btn-primary" data-act="next">Start the sign-in</button>
        <button type="button" class="btn" data-act="play" aria-pressed="false">Play all</button>
      </div>
      <div class="flow-extra">
        <button type="button" class="btn btn-small btn-ghost" data-act="restart">New sign-in</button>
        <tl-copy-button class="flow-link" label="Copy link"></tl-copy-button>
      </div>
    </div>
    <ol class="flow-stepper" aria-label="Steps of the sign-in"></ol>
    <p class="sr-only flow-status" role="status"></p>
    <div class="flow-stage">
      <div class="flow-seq">
        <ol class="seq-lanes" aria-label="Messages so far"></ol>
      </div>
      <div class="flow-detail"></div>
    </div>
  </div>
  <section class="flow-mistakes">
    <h3 class="flow-mistakes-title">Mistakes to try</h3>
    <p class="hint">One click each. The flow runs first if it has not, then the mistake is played with the same key and tokens and you see which check fails.</p>
    <div class="mistake-grid"></div>
    <div class="flow-mistake-area" aria-live="polite"></div>
  </section>`);

/** What each actor does and which tokens it must accept or refuse. */
const CAST = /** @type {Record<string, {does: string, gets: [string, string][]}>} */ ({
  browser: { does: "Carries Alice through the redirects to the authorization server and back. It sees the request URL and the code — useless without my-app's client secret and the code_verifier its server keeps.", gets: [["holds", "my-app's session cookie, no token: my-app redeems the code server to server and keeps the tokens"]] },
  client: { does: "my-app is a web application with a back end: a confidential client. Its server starts the sign-in, redeems the code with its client secret and the PKCE code_verifier, and keeps the tokens in Alice's server-side session.", gets: [["reads", "the ID token (after validating it)"], ["forwards", "the access token, unread"], ["returns", "the refresh token to the authorization server"]] },
  as: { does: "Signs Alice in and issues every token, signed with its private key (an ES256 key generated in this page for each run).", gets: [["accepts", "the code + verifier, the refresh token"]] },
  api: { does: "Serves Alice's orders to clients that present a valid access token addressed to it.", gets: [["accepts", "access tokens: typ at+jwt, aud = the API"], ["rejects", "ID tokens, tokens for other APIs, expired or unsigned tokens"]] },
});

/**
 * Parses "step-N" or "mistake-<id>" (the value of #flow=): the step (0 is
 * the introduction) and mistake it names, or, when the link names a step
 * or mistake the simulator does not have, what is missing, in words.
 * @param {string} scenario
 * @returns {{ step: number, mistake: string } | { missing: string }}
 */
export function parseScenario(scenario) {
  const s = scenario.trim().toLowerCase();
  const step = /^step-(\d+)$/.exec(s);
  if (step) {
    const n = Number(step[1]);
    if (n <= LAST) return { step: n, mistake: "" };
    return { missing: `This link asks for step ${n}, but the sign-in has ${LAST} steps (step-1 to step-${LAST}).` };
  }
  const m = /^mistake-(.+)$/.exec(s);
  if (m) {
    const meta = MISTAKES.find((x) => x.id === m[1]);
    if (meta) return { step: meta.step, mistake: meta.id };
    return { missing: `This link asks for the mistake “${m[1]}”, which the simulator does not have. The mistakes it has are listed below.` };
  }
  return { missing: `This link asks for “${scenario}”, which the sign-in flow does not have: a link names a step (flow=step-1 to flow=step-${LAST}) or a mistake (such as flow=mistake-id-token-to-api).` };
}

/** The value of flow= in a fragment like "#flow=step-4&…". @param {string} hash */
function scenarioFromHash(hash) {
  return new URLSearchParams(hash.replace(/^#/, "")).get("flow") ?? "";
}

const reduceMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;

export class TlFlow extends TlElement {
  static tag = "tl-flow";
  static observedAttributes = ["step", "mistake", "hash-links"];
  /** @type {any} */ #api = tokenlab;
  /** @type {import("./flow-engine.js").Run | null} */ #run = null;
  /** @type {Promise<void> | null} */ #running = null;
  #error = "";
  /** @type {Map<string, import("./flow-engine.js").Mistake | string>} */ #mistakes = new Map();
  /** @type {Set<string>} */ #mistakesRunning = new Set();
  #built = false;
  #shown = "";
  #shownMistake = "";
  #generation = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #timer;
  #scrollTo = /** @type {"" | "flow" | "link" | "mistake"} */ ("");
  #focusMistake = false;
  /** What a link asked for that does not exist, or "". */
  #linkProblem = "";
  /** Where a deep link landed, kept at the top while the page above still fills in. */
  /** @type {{ target: HTMLElement, stop: () => void } | null} */ #pin = null;

  /** The tokenlab API the flow uses (default: the page's shared instance). */
  get api() {
    return this.#api;
  }

  set api(v) {
    this.#api = v;
  }

  /** The finished run: PKCE values, tokens, verify results and steps; null before. */
  get run() {
    return this.#run;
  }

  /** The current step, 0…6 (0 is the introduction). */
  get step() { return Math.max(0, Math.min(LAST, Math.trunc(this.numberAttr("step", 0)))); }
  set step(n) { this.setStringAttr("step", n); }

  /** The mistake shown below the player (one of MISTAKES' ids), or "". */
  get mistake() { return this.stringAttr("mistake"); }
  set mistake(v) { this.setStringAttr("mistake", v || null); }

  /** Whether the element follows #flow=… in the page's URL. */
  get hashLinks() { return this.boolAttr("hash-links"); }
  set hashLinks(v) { this.setBoolAttr("hash-links", v); }

  /** Resolves when the current run (and the current mistake, if any) is ready. */
  async settled() {
    while (this.#running || this.#mistakesRunning.size) {
      await (this.#running ?? new Promise((r) => setTimeout(r, 20)));
    }
  }

  /** @param {AbortSignal} signal */
  connected(signal) {
    if (!this.#built) {
      this.#built = true;
      this.append(TEMPLATE.content.cloneNode(true));
      this.#buildStatic();
    }
    this.addEventListener("click", (e) => this.#onClick(e), { signal });
    this.addEventListener("keydown", (e) => this.#onKey(e), { signal });
    addEventListener("hashchange", () => this.#followHash(), { signal });
    signal.addEventListener("abort", () => {
      this.#stopPlay();
      this.#pin?.stop();
    });
    this.#followHash();
  }

  attributeChangedCallback(/** @type {string} */ name, /** @type {string | null} */ old, /** @type {string | null} */ value) {
    if (name === "hash-links" && value !== null && old === null && this.isConnected) this.#followHash();
    this.invalidate();
  }

  #buildStatic() {
    const stepper = /** @type {HTMLElement} */ (this.querySelector(".flow-stepper"));
    STEP_TITLES.forEach((title, i) => {
      const li = h("li");
      const btn = h("button", "flow-step-btn");
      btn.type = "button";
      btn.dataset.goto = String(i + 1);
      btn.append(h("span", "n", String(i + 1)), h("span", "t", title));
      li.append(btn);
      stepper.append(li);
    });
    const seq = /** @type {HTMLElement} */ (this.querySelector(".flow-seq"));
    seq.prepend(actorRow());
    const grid = /** @type {HTMLElement} */ (this.querySelector(".mistake-grid"));
    for (const m of MISTAKES) {
      const btn = h("button", "mistake-btn");
      btn.type = "button";
      btn.dataset.mistake = m.id;
      btn.setAttribute("aria-pressed", "false");
      btn.append(h("span", "mistake-title", m.title), h("span", "mistake-blurb", m.blurb), h("span", "mistake-where", `at step ${m.step}`));
      grid.append(btn);
    }
  }

  #followHash() {
    if (!this.hashLinks) return;
    const scenario = scenarioFromHash(location.hash);
    if (!scenario) return;
    const s = parseScenario(scenario);
    if ("missing" in s) {
      this.#linkProblem = s.missing;
      this.invalidate();
    } else {
      this.#linkProblem = "";
      this.step = s.step;
      this.mistake = s.mistake;
      this.#scrollTo = this.mistake ? "mistake" : "link";
    }
    this.#land(this.#section());
  }

  /**
   * Lands a deep link on el (its top, so a heading is in view) and keeps it
   * there while the sections above it grow as the engine answers: until
   * the engine is ready and the page has then kept its size for a few
   * seconds (a slow machine answers late), at most half a minute, or until
   * the reader scrolls, clicks or types.
   * @param {HTMLElement} el
   */
  #land(el) {
    /** Where the target's top rests once scrolled to (below a sticky bar, by its scroll margin). */
    let rest = NaN;
    const scroll = () => {
      const target = this.#pin?.target ?? el;
      target.scrollIntoView({ block: "start" });
      rest = target.getBoundingClientRect().top;
    };
    requestAnimationFrame(scroll);
    if (this.#pin) {
      this.#pin.target = el;
      return;
    }
    const quiet = 3000;
    const deadline = performance.now() + 30_000;
    const controller = new AbortController();
    let engineUp = false;
    /** The quiet period starts again: only once the engine is up. */
    const rearm = () => {
      if (!engineUp || controller.signal.aborted) return;
      clearTimeout(timer);
      timer = setTimeout(stop, Math.max(0, Math.min(quiet, deadline - performance.now())));
    };
    // The page grows above the target as sections render; scroll anchoring
    // does not always hold the target (a section that replaces its content
    // loses the anchor), so look again on every resize and every quarter
    // second, and scroll back when the target has moved.
    const hold = () => {
      const top = this.#pin?.target.getBoundingClientRect().top;
      if (top === undefined || Math.abs(top - rest) <= 2) return;
      scroll();
      rearm();
    };
    const observer = new ResizeObserver(hold);
    const interval = setInterval(hold, 250);
    const stop = () => {
      observer.disconnect();
      controller.abort();
      clearTimeout(timer);
      clearInterval(interval);
      this.#pin = null;
    };
    let timer = setTimeout(stop, deadline - performance.now());
    Promise.resolve(this.#api.ready).catch(() => {}).finally(() => {
      engineUp = true;
      rearm();
    });
    for (const type of ["wheel", "touchstart", "pointerdown", "keydown"]) addEventListener(type, stop, { signal: controller.signal, passive: true });
    this.#pin = { target: el, stop };
    observer.observe(document.body);
  }

  /** The page section the element sits in, whose heading a link lands on; the element itself when there is none. */
  #section() {
    return /** @type {HTMLElement} */ (this.closest("section") ?? this);
  }

  /** @param {Event} e */
  #onClick(e) {
    const target = /** @type {HTMLElement} */ (e.target);
    const act = /** @type {HTMLElement | null} */ (target.closest?.("[data-act]"));
    const go = /** @type {HTMLElement | null} */ (target.closest?.("[data-goto]"));
    const mistake = /** @type {HTMLElement | null} */ (target.closest?.("[data-mistake]"));
    if (act && this.contains(act)) {
      const what = act.dataset.act;
      if (what === "play") {
        if (this.#timer !== undefined) this.#stopPlay();
        else this.#play();
        return;
      }
      this.#stopPlay();
      if (what === "next") this.#go(this.step + 1);
      else if (what === "back") this.#go(this.step - 1);
      else if (what === "restart") this.#restart();
      else if (what === "close-mistake") {
        this.mistake = "";
        /** @type {HTMLElement | null} */ (this.querySelector(`.mistake-grid [data-mistake="${CSS.escape(mistake?.dataset.mistake ?? "")}"]`))?.focus();
      }
    } else if (go && this.contains(go)) {
      this.#stopPlay();
      this.#go(Number(go.dataset.goto));
    } else if (mistake && this.contains(mistake) && mistake.classList.contains("mistake-btn")) {
      this.#stopPlay();
      this.#linkProblem = "";
      const meta = MISTAKES.find((m) => m.id === mistake.dataset.mistake);
      if (!meta) return;
      if (this.mistake === meta.id) {
        this.mistake = "";
        return;
      }
      this.step = meta.step;
      this.mistake = meta.id;
      this.#scrollTo = "mistake";
      this.#focusMistake = true;
    }
  }

  /** ← and → step through the flow when focus is in the player (not in a field). @param {KeyboardEvent} e */
  #onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const t = /** @type {HTMLElement} */ (e.target);
    if (!t.closest?.(".flow-player") || t.closest("input, textarea, select, [contenteditable], pre, tl-token-view")) return;
    if (e.key === "ArrowRight" && this.step < LAST) {
      e.preventDefault();
      this.#stopPlay();
      this.#go(this.step + 1);
    } else if (e.key === "ArrowLeft" && this.step > 0) {
      e.preventDefault();
      this.#stopPlay();
      this.#go(this.step - 1);
    }
  }

  /** @param {number} n */
  #go(n) {
    this.#linkProblem = "";
    const step = Math.max(0, Math.min(LAST, n));
    if (step === this.step) return;
    this.step = step;
    this.#scrollTo = "flow";
  }

  #play() {
    if (this.step >= LAST) this.step = 0;
    const tick = () => {
      if (this.step >= LAST) {
        this.#stopPlay();
        return;
      }
      this.#go(this.step + 1);
      this.#timer = setTimeout(tick, PLAY_DELAY);
      this.invalidate();
    };
    this.#timer = setTimeout(tick, 0);
    this.invalidate();
  }

  #stopPlay() {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.invalidate();
  }

  #restart() {
    this.#generation++;
    this.#run = null;
    this.#running = null;
    this.#error = "";
    this.#mistakes.clear();
    this.#shown = "";
    this.#shownMistake = "";
    if (this.step === 0) this.step = 1;
    this.invalidate();
  }

  /** Starts a run when none exists. */
  #ensureRun() {
    if (this.#run || this.#running || this.#error) return;
    const gen = this.#generation;
    this.dataset.state = "running";
    this.#running = (async () => {
      try {
        await this.#api.ready;
        const run = await runFlow(this.#api);
        if (gen !== this.#generation) return;
        this.#run = run;
      } catch (err) {
        if (gen !== this.#generation) return;
        this.#error = err instanceof Error ? err.message : String(err);
      } finally {
        if (gen === this.#generation) {
          this.#running = null;
          this.invalidate();
        }
      }
    })();
  }

  /** @param {string} id */
  #ensureMistake(id) {
    const run = this.#run;
    if (!run || this.#mistakes.has(id) || this.#mistakesRunning.has(id)) return;
    const gen = this.#generation;
    this.#mistakesRunning.add(id);
    runMistake(this.#api, run, id).then(
      (m) => { if (gen === this.#generation) this.#mistakes.set(id, m); },
      (err) => { if (gen === this.#generation) this.#mistakes.set(id, err instanceof Error ? err.message : String(err)); },
    ).finally(() => {
      this.#mistakesRunning.delete(id);
      this.invalidate();
    });
  }

  render() {
    if (!this.#built) return;
    const step = this.step;
    const mistake = this.mistake;
    const playing = this.#timer !== undefined;
    if ((step > 0 || mistake) && !this.#run) this.#ensureRun();
    this.dataset.state = this.#error ? "error" : this.#running ? "running" : this.#run ? "ready" : "idle";
    const problem = /** @type {HTMLElement} */ (this.querySelector(".flow-link-problem"));
    problem.textContent = this.#linkProblem;
    problem.hidden = !this.#linkProblem;

    // Controls.
    const q = (/** @type {string} */ s) => /** @type {HTMLElement} */ (this.querySelector(s));
    const back = /** @type {HTMLButtonElement} */ (q('[data-act="back"]'));
    const next = /** @type {HTMLButtonElement} */ (q('[data-act="next"]'));
    const play = /** @type {HTMLButtonElement} */ (q('[data-act="play"]'));
    back.disabled = step === 0;
    next.disabled = step >= LAST;
    next.textContent = step === 0 ? "Start the sign-in" : step >= LAST ? "Done" : "Next →";
    next.setAttribute("aria-label", step === 0 ? "Start the sign-in" : step >= LAST ? "Done: the flow is complete" : `Next: step ${step + 1}, ${STEP_TITLES[step]}`);
    play.textContent = playing ? "Pause" : "Play all";
    play.setAttribute("aria-pressed", String(playing));
    q('[data-act="restart"]').hidden = !this.#run;
    for (const btn of this.querySelectorAll(".flow-step-btn")) {
      const n = Number(/** @type {HTMLElement} */ (btn).dataset.goto);
      btn.classList.toggle("done", n < step);
      if (n === step) btn.setAttribute("aria-current", "step");
      else btn.removeAttribute("aria-current");
    }
    const scenario = mistake ? `mistake-${mistake}` : `step-${step}`;
    q(".flow-link").setAttribute("value", `${location.origin}${location.pathname}#flow=${scenario}`);
    q(".flow-link").setAttribute("label", mistake ? "Copy link to this mistake" : step ? "Copy link to this step" : "Copy link");

    // Actors involved in the current step.
    const current = this.#run && step ? this.#run.steps[step - 1] : null;
    /** @type {Set<string>} */
    const involved = new Set(current ? current.lanes.flatMap((l) => [l.from, l.to]) : []);
    for (const cell of this.querySelectorAll(".seq-actor")) {
      cell.classList.toggle("active", involved.has(/** @type {HTMLElement} */ (cell).dataset.actor ?? ""));
    }

    // Sequence diagram and detail.
    const key = `${this.#generation}:${step}:${this.#run ? "run" : this.#error ? "error" : "none"}`;
    if (key !== this.#shown) {
      this.#shown = key;
      this.#renderStage(step);
      if (this.#run || step === 0) {
        q(".flow-status").textContent = step ? `Step ${step} of ${LAST}: ${STEP_TITLES[step - 1]}.` : "";
      }
    }
    this.#renderMistake(mistake);
    if (this.#run || this.#error) this.dataset.rendered = mistake ? `mistake-${mistake}` : `step-${step}`;
    else delete this.dataset.rendered;
    if (mistake && !this.#mistakes.has(mistake)) delete this.dataset.rendered;
    this.#maybeScroll(mistake);
  }

  /** @param {number} step */
  #renderStage(step) {
    const lanes = /** @type {HTMLElement} */ (this.querySelector(".seq-lanes"));
    const detail = /** @type {HTMLElement} */ (this.querySelector(".flow-detail"));
    detail.dataset.step = String(step);
    if (this.#error) {
      lanes.replaceChildren();
      const p = h("p", "error", `The simulator could not run: ${this.#error}`);
      p.setAttribute("role", "alert");
      const retry = h("button", "btn", "Try again");
      retry.type = "button";
      retry.dataset.act = "restart";
      detail.replaceChildren(p, retry);
      return;
    }
    if (step === 0) {
      lanes.replaceChildren(this.#hintLane());
      detail.replaceChildren(this.#intro());
      return;
    }
    const run = this.#run;
    if (!run) {
      lanes.replaceChildren(this.#hintLane("Generating the issuer's key and the client's secrets…"));
      const p = h("p", "flow-loading", "Preparing the sign-in: generating an ES256 key, a code_verifier, a state and a nonce…");
      detail.replaceChildren(p);
      return;
    }
    /** @type {HTMLElement[]} */
    const items = [];
    for (const s of run.steps.slice(0, step)) {
      s.lanes.forEach((lane) => items.push(laneRow(lane, { current: s.n === step, n: s.n })));
    }
    lanes.replaceChildren(...items);
    lanes.classList.toggle("animate", !reduceMotion());
    detail.replaceChildren(this.#stepCard(run.steps[step - 1]));
    // A long diagram scrolls inside its sticky box: keep the current step in it.
    const seq = /** @type {HTMLElement} */ (this.querySelector(".flow-stage > .flow-seq"));
    const first = /** @type {HTMLElement | null} */ (lanes.querySelector(".seq-lane.current"));
    if (first && seq.scrollHeight > seq.clientHeight + 1 && first.offsetParent === seq) {
      seq.scrollTop = Math.max(0, first.offsetTop - seq.clientHeight / 3);
    }
  }

  /** @param {string} [text] */
  #hintLane(text = "Press “Start the sign-in” to send the first message.") {
    const li = h("li", "seq-hint", text);
    return li;
  }

  #intro() {
    const box = h("div", "flow-intro");
    box.append(h("p", "lead", `Alice signs in to ${WORLD.clientId}, a web application with a back end, with OpenID Connect. Four parties take part; each token is born at the authorization server and has exactly one intended recipient. Step through the messages, then try the mistakes below.`));
    const grid = h("ul", "cast");
    for (const a of ACTORS) {
      const li = h("li", `cast-card actor-${a.id}`);
      const head = h("div", "cast-head");
      head.append(actorIcon(a.id), h("strong", "", a.name), h("span", "cast-role", a.ident));
      const c = CAST[a.id];
      const dl = h("dl", "cast-gets");
      for (const [verb, what] of c.gets) {
        const div = h("div", `gets-${verb}`);
        div.append(h("dt", "", verb), h("dd", "", what));
        dl.append(div);
      }
      li.append(head, h("p", "", c.does), dl);
      grid.append(li);
    }
    box.append(grid);
    return box;
  }

  /** @param {import("./flow-engine.js").Step} s */
  #stepCard(s) {
    const card = h("article", "step-card");
    card.dataset.step = String(s.n);
    const head = h("header", "step-head");
    const kicker = h("p", "kicker");
    kicker.append(h("span", "kicker-n", `Step ${s.n} of ${LAST}`), h("span", "route", s.route));
    head.append(kicker, h("h3", "step-title", s.title), refList(s.refs));
    card.append(head, h("p", "lead", s.lead));
    for (const b of s.blocks) card.append(renderBlock(b));
    const here = MISTAKES.filter((m) => m.step === s.n);
    if (here.length) {
      const nav = h("div", "try-here");
      nav.append(h("span", "try-label", "Try a mistake here:"));
      for (const m of here) {
        const btn = h("button", "btn btn-small try-btn", m.title);
        btn.type = "button";
        btn.dataset.mistake = m.id;
        btn.classList.add("mistake-btn");
        nav.append(btn);
      }
      card.append(nav);
    }
    card.append(this.#pager(s.n));
    return card;
  }

  /** Back and Next at the end of a long step card. @param {number} n */
  #pager(n) {
    const nav = h("nav", "step-pager");
    nav.setAttribute("aria-label", "Step navigation");
    const back = h("button", "btn", n === 1 ? "← Introduction" : `← Step ${n - 1}`);
    back.type = "button";
    back.dataset.act = "back";
    nav.append(back);
    if (n < LAST) {
      const next = h("button", "btn btn-primary", `Next: ${STEP_TITLES[n]} →`);
      next.type = "button";
      next.dataset.act = "next";
      nav.append(next);
    } else {
      nav.append(h("span", "pager-done", "That is the whole sign-in. Now try the mistakes below."));
    }
    return nav;
  }

  /** @param {string} id */
  #renderMistake(id) {
    const area = /** @type {HTMLElement} */ (this.querySelector(".flow-mistake-area"));
    for (const btn of this.querySelectorAll(".mistake-grid .mistake-btn")) {
      btn.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (btn).dataset.mistake === id));
    }
    if (!id) {
      if (this.#shownMistake) area.replaceChildren();
      this.#shownMistake = "";
      return;
    }
    const meta = MISTAKES.find((m) => m.id === id);
    if (!meta) {
      area.replaceChildren(h("p", "error", `Unknown mistake “${id}”. Try one of: ${MISTAKES.map((m) => m.id).join(", ")}.`));
      this.#shownMistake = "";
      return;
    }
    if (this.#run) this.#ensureMistake(id);
    const result = this.#mistakes.get(id);
    const key = `${this.#generation}:${id}:${result ? "done" : "pending"}`;
    if (key === this.#shownMistake) return;
    this.#shownMistake = key;
    if (!result) {
      area.replaceChildren(h("p", "flow-loading", `Playing “${meta.title}”…`));
      return;
    }
    if (typeof result === "string") {
      area.replaceChildren(h("p", "error", result));
      return;
    }
    area.replaceChildren(this.#mistakeCard(result));
  }

  /** @param {import("./flow-engine.js").Mistake} m */
  #mistakeCard(m) {
    const card = h("article", "mistake-card");
    card.dataset.mistake = m.id;
    card.dataset.fails = m.fails.join(" ");
    card.tabIndex = -1;
    const head = h("header", "step-head");
    const kicker = h("p", "kicker");
    kicker.append(h("span", "kicker-n kicker-mistake", `Mistake · step ${m.step}`), h("span", "route", m.route));
    head.append(kicker, h("h3", "step-title", m.title), refList(m.refs));
    const seq = h("div", "flow-seq mini");
    const lanes = h("ol", "seq-lanes");
    lanes.setAttribute("aria-label", "What happens");
    for (const lane of m.lanes) lanes.append(laneRow(lane, { current: true }));
    seq.append(actorRow(), lanes);
    card.append(head, h("p", "lead", m.lead), seq);
    // The lesson comes right after the evidence; the tokens to inspect last.
    for (const b of m.blocks) if (b.type !== "tokens") card.append(renderBlock(b));
    const why = h("div", "why");
    why.append(h("h4", "", "Why it matters"), h("p", "", m.why));
    card.append(why);
    for (const b of m.blocks) if (b.type === "tokens") card.append(renderBlock(b));
    const close = h("button", "btn btn-small", "Close this mistake");
    close.type = "button";
    close.dataset.act = "close-mistake";
    close.dataset.mistake = m.id;
    const actions = h("div", "actions");
    actions.append(close);
    card.append(actions);
    return card;
  }

  /** @param {string} mistake */
  #maybeScroll(mistake) {
    if (!this.#scrollTo) return;
    if (this.#scrollTo === "mistake") {
      const card = /** @type {HTMLElement | null} */ (this.querySelector(".mistake-card"));
      if (!card || card.dataset.mistake !== mistake) return;
      this.#scrollTo = "";
      if (this.#pin) this.#land(card); // a link to the mistake
      else this.#scrollIntoView(card, "start");
      if (this.#focusMistake) card.focus({ preventScroll: true });
      this.#focusMistake = false;
      return;
    }
    if (this.#scrollTo === "link") {
      // A deep link scrolled to the flow at once; the sections above it may
      // have grown since (they fill in as the engine answers), so once the
      // step is shown, bring the flow to the top again.
      if (!this.#run && !this.#error) return;
      this.#scrollTo = "";
      if (this.#pin) this.#land(this.#section());
      else this.#scrollIntoView(this.#section(), "start");
      return;
    }
    this.#scrollTo = "";
    const player = /** @type {HTMLElement} */ (this.querySelector(".flow-player"));
    const stage = /** @type {HTMLElement} */ (this.querySelector(".flow-stage"));
    // Bring the new step into view only when its top is scrolled away.
    if (stage.getBoundingClientRect().top < 0) this.#scrollIntoView(player, "start");
  }

  /** @param {HTMLElement} el @param {ScrollLogicalPosition} block */
  #scrollIntoView(el, block) {
    requestAnimationFrame(() => el.scrollIntoView({ behavior: reduceMotion() ? "auto" : "smooth", block }));
  }
}
