// @ts-check
/**
 * The page sections' shared DOM helpers: find an element by id (failing
 * loudly when the markup lacks it), show an error paragraph, say what an
 * error means, and scroll to a section.
 */

/**
 * The element with this id, typed as the caller expects.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @returns {T}
 */
export function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`tokenlab page: #${id} is missing`);
  return /** @type {T} */ (el);
}

/** The form field with this id. @param {string} id @returns {HTMLInputElement} */
export const field = (id) => $(id);

/** The button with this id. @param {string} id @returns {HTMLButtonElement} */
export const button = (id) => $(id);

/**
 * Shows message in an error paragraph, or hides it when there is none.
 * @param {string} id
 * @param {string} [message]
 */
export function showError(id, message) {
  const el = $(id);
  el.textContent = message ?? "";
  el.hidden = !message;
}

/**
 * What an error says, for the page: a TokenlabError's message, or the text
 * of anything else thrown.
 * @param {unknown} err
 */
export function messageOf(err) {
  if (err && typeof err === "object" && "message" in err) return String(err.message);
  return String(err);
}

/**
 * Scrolls a section into view, smoothly unless the user asks for reduced
 * motion.
 * @param {string} id
 */
export function scrollToSection(id) {
  const reduce = matchMedia("(prefers-reduced-motion: reduce)").matches;
  $(id).scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" });
}
