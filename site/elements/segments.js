// @ts-check
/**
 * Splits pasted token text into coloured pieces without the engine, so the
 * segments show on the frame of the paste. A leading "Bearer " and
 * surrounding whitespace are kept as uncoloured pieces. An opaque token
 * (the engine says it is not a JWT) has no parts: it is one plain piece.
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
 * @param {boolean} [opaque] the text is an opaque token, not a JWT
 * @returns {{ pieces: Piece[], parts: string[] }} pieces in order, and the part names present
 */
export function split(text, opaque = false) {
  /** @type {Piece[]} */
  const pieces = [];
  const lead = /^(\s*(?:bearer\s+)?)/i.exec(text)?.[0] ?? "";
  const trail = /\s*$/.exec(text.slice(lead.length))?.[0] ?? "";
  const body = text.slice(lead.length, text.length - trail.length);
  if (lead) pieces.push({ text: lead, part: "prefix" });
  if (opaque) {
    if (body) pieces.push({ text: body, part: "opaque" });
    if (trail) pieces.push({ text: trail, part: "prefix" });
    return { pieces, parts: [] };
  }
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
 * @param {boolean} [opaque] the text is an opaque token: one plain piece
 */
export function paint(el, text, opaque = false) {
  const frag = document.createDocumentFragment();
  for (const piece of split(text, opaque).pieces) {
    const span = document.createElement("span");
    span.className = `seg seg-${piece.part}`;
    span.textContent = piece.text;
    frag.append(span);
  }
  el.replaceChildren(frag);
}
