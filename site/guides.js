// @ts-check
/**
 * The engine's guide to every token kind (tokenlab.guide()), asked for once
 * per page and shared: the guide table shows it, and the kind titles the
 * page writes ("ID token", "Workload identity token") come from it, so no
 * kind is named in the page's code.
 */
import { tokenlab } from "./tokenlab.js";

/** @typedef {import("./tokenlab.js").Purpose} Purpose */

/** @type {Promise<Purpose[]> | null} */
let cached = null;

/** The titles by kind, once the guides have arrived. */
const titles = new Map();

/** Every kind's guide, from the engine; a failed call is asked again next time. */
export function guides() {
  cached ??= tokenlab.guide().then((all) => {
    for (const p of all) if (p.kind && p.title) titles.set(p.kind, p.title);
    return all;
  }, (err) => {
    cached = null;
    throw err;
  });
  return cached;
}

/**
 * The title of a kind if the guides have arrived (the page asks for them
 * as it starts), else "": for code that cannot wait, such as a render.
 * @param {string} kind
 * @returns {string}
 */
export function knownTitle(kind) {
  return titles.get(kind) ?? "";
}

/**
 * The title of a kind ("ID token"), or fallback when the engine has no
 * guide for it (or cannot answer).
 * @param {string} kind
 * @param {string} [fallback]
 */
export async function kindTitle(kind, fallback = "Token") {
  try {
    await guides();
  } catch {
    // The engine cannot answer: the fallback names it.
  }
  return knownTitle(kind) || fallback;
}

/**
 * A title as a noun phrase with its article, as the engine writes it in
 * headlines: "ID token" → "an ID token", "Logout token" → "a logout token",
 * "SD-JWT" → "an SD-JWT".
 * @param {string} title
 */
export function withArticle(title) {
  const first = title.split(" ")[0];
  const acronym = first.length > 1 && first.slice(0, 2) === first.slice(0, 2).toUpperCase();
  const name = acronym || /[A-Z]/.test(first.slice(1)); // "ID", "GitHub": keep their case
  const phrase = name ? title : title.charAt(0).toLowerCase() + title.slice(1);
  const vowel = acronym ? /^[AEFHILMNORSX]/.test(phrase) : /^[aeiou]/.test(phrase);
  return `${vowel ? "an" : "a"} ${phrase}`;
}
