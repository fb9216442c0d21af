// @ts-check
/**
 * The playground's wiring: it defines the elements, creates the one store,
 * shows a share link's state, starts each section (sections/*.js and the
 * flow) with what it needs from the others, and routes tokens between
 * them. The sections do the work; the page state lives in state.js.
 */
import { tokenlab } from "./tokenlab.js";
import { Store } from "./state.js";
import { initShare } from "./share.js";
import { defineElements } from "./elements/index.js";
import { $, messageOf } from "./dom.js";
import * as keysSection from "./sections/keys.js";
import * as mintSection from "./sections/mint.js";
import * as inspectSection from "./sections/inspect.js";
import * as verifySection from "./sections/verify.js";
import * as guideSection from "./sections/guide.js";
import * as flowSection from "./flow/flow-page.js";

defineElements();
const store = new Store();
initShare(store); // before the first render below

// ---------------------------------------------------------------- engine

const status = $("engine-status");
tokenlab.ready.then(
  () => {
    status.dataset.state = "ready";
    status.textContent = "Engine ready";
    $("version").textContent = tokenlab.version;
  },
  (err) => {
    status.dataset.state = "failed";
    status.textContent = messageOf(err);
  },
);

// ----------------------------------------------------------------- theme

const themeToggle = /** @type {import("./elements/tl-theme-toggle.js").TlThemeToggle} */ ($("theme-toggle"));
themeToggle.theme = store.state.theme;
themeToggle.addEventListener("tl-theme-change", (e) => {
  store.set("theme", /** @type {CustomEvent} */ (e).detail.theme);
});

// -------------------------------------------------------------- sections

const keys = keysSection.init({ store });
const mint = mintSection.init({ store, keys });
const inspect = inspectSection.init({ store, mint, keys });
const verify = verifySection.init({ store, keys });
guideSection.init({ store, keys, mint });
flowSection.init();

// A minted card, the flow or the inspector hands a token on.
document.addEventListener("tl-use-token", (e) => {
  const { token, to, kind } = /** @type {CustomEvent} */ (e).detail;
  if (to === "verify") verify.show(token, kind);
  else inspect.show(token);
});

$("forget").addEventListener("click", () => {
  store.clear();
  location.reload();
});

addEventListener("pagehide", () => store.save());

function render() {
  // The inspector first: its engine call goes ahead of the other sections'
  // (mint's presets, verify's decode and explain), so a share link's token
  // is explained first. Nothing it shows depends on their renders.
  inspect.render();
  keys.render();
  mint.render();
  verify.render();
}

// The first render, from the saved state or a shared link's; again when a
// link opened later replaces the whole state.
render();
store.addEventListener("change", (e) => {
  if (/** @type {CustomEvent} */ (e).detail.section === "*") render();
});
