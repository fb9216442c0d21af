// @ts-check
/**
 * Splits pasted token text into coloured pieces without the engine, so the
 * segments show on the frame of the paste. A leading "Bearer " and
 * surrounding whitespace are kept as uncoloured pieces.
 */

/** @typedef {{ text: string, part: string }} Piece */

const JWS_PARTS = ["header", "payload", "signature"];
const JWE_PARTS = ["header", "key", "iv", "ciphertext", "tag"];

/** Names shown in the legend, by part. */
export const PART_NAMES = /** @type {Record<string, string>} */ ({
  header: "Header",
  payload: "Payload",
  signature: "Signature",
  key: "Encrypted key",
  iv: "IV",
  ciphertext: "Ciphertext",
  tag: "Tag",
  extra: "Extra",
});

/**
 * @param {string} text
 * @returns {{ pieces: Piece[], parts: string[] }} pieces in order, and the part names present
 */
export function split(text) {
  /** @type {Piece[]} */
  const pieces = [];
  const lead = /^(\s*(?:bearer\s+)?)/i.exec(text)?.[0] ?? "";
  const trail = /\s*$/.exec(text.slice(lead.length))?.[0] ?? "";
  const body = text.slice(lead.length, text.length - trail.length);
  if (lead) pieces.push({ text: lead, part: "prefix" });
  const segs = body === "" ? [] : body.split(".");
  const names = segs.length === 5 ? JWE_PARTS : JWS_PARTS;
  segs.forEach((seg, i) => {
    if (i > 0) pieces.push({ text: ".", part: "dot" });
    if (seg) pieces.push({ text: seg, part: names[i] ?? "extra" });
  });
  if (trail) pieces.push({ text: trail, part: "prefix" });
  return { pieces, parts: segs.map((_, i) => names[i] ?? "extra") };
}

/**
 * Fills el with coloured spans for text.
 * @param {HTMLElement} el
 * @param {string} text
 */
export function paint(el, text) {
  const frag = document.createDocumentFragment();
  for (const piece of split(text).pieces) {
    const span = document.createElement("span");
    span.className = `seg seg-${piece.part}`;
    span.textContent = piece.text;
    frag.append(span);
  }
  el.replaceChildren(frag);
}
