// @ts-check
import { tokenlab } from "./tokenlab.js";

const status = /** @type {HTMLElement} */ (document.getElementById("engine-status"));
const input = /** @type {HTMLTextAreaElement} */ (document.getElementById("token-input"));
const error = /** @type {HTMLElement} */ (document.getElementById("token-error"));
const decoded = /** @type {HTMLElement} */ (document.getElementById("decoded"));

tokenlab.ready.then(
  () => { status.textContent = `Engine ready (tokenlab ${tokenlab.version}).`; },
  (err) => { status.textContent = err.message; },
);

input.addEventListener("input", async () => {
  const text = input.value.trim();
  error.hidden = true;
  decoded.hidden = true;
  if (!text) return;
  try {
    const d = await tokenlab.decode(text);
    /** @type {HTMLElement} */ (document.getElementById("decoded-header")).textContent = JSON.stringify(d.header, null, 2);
    /** @type {HTMLElement} */ (document.getElementById("decoded-payload")).textContent = JSON.stringify(d.payload, null, 2);
    decoded.hidden = false;
  } catch (err) {
    error.textContent = /** @type {Error} */ (err).message;
    error.hidden = false;
  }
});
