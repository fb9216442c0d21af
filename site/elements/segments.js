// @ts-check
/**
 * Splits pasted token text into coloured pieces without the engine, so the
 * segments show on the frame of the paste. A leading "Bearer " and
 * surrounding whitespace are kept as uncoloured pieces. An opaque token
 * (the engine says it is not a JWT) has no parts: it is one plain piece.
 *
 * An SD-JWT (RFC 9901 §4: `<issuer-signed JWT>~<disclosure>~…~[<KB-JWT>]`)
 * is split at each `~`: the issuer-signed JWT's three segments, each
 * disclosure (alternating two colours, numbered from 1 in `index` so a
 * table of disclosures can name the same one), and the Key Binding JWT's
 * three segments, marked `kb`.
 */

/** @typedef {{ text: string, part: string, index?: number, kb?: boolean }} Piece */

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
  disclosure: "Disclosures",
  kb: "Key Binding JWT",
});

/**
 * @param {string} text
 * @param {boolean} [opaque] the text is an opaque token, not a JWT
 * @returns {{ pieces: Piece[], parts: string[], disclosures: number }} pieces in order, the part
 *   names present (each once, in order of appearance) and how many disclosures there are
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
    return { pieces, parts: [], disclosures: 0 };
  }
  /** @type {string[]} */
  const parts = [];
  let disclosures = 0;
  /** @param {string} jwt @param {boolean} kb */
  const segments = (jwt, kb) => {
    const segs = jwt === "" ? [] : jwt.split(".");
    const names = segs.length === 5 && !kb ? JWE_PARTS : JWS_PARTS;
    segs.forEach((seg, i) => {
      if (i > 0) pieces.push({ text: ".", part: "dot" });
      const part = names[i] ?? "extra";
      if (seg) pieces.push(kb ? { text: seg, part, kb } : { text: seg, part });
      parts.push(kb ? "kb" : part);
    });
  };
  const [issuerJwt, ...rest] = body.split("~");
  segments(issuerJwt, false);
  rest.forEach((piece, i) => {
    pieces.push({ text: "~", part: "tilde" });
    if (i === rest.length - 1) {
      segments(piece, true); // after the last ~: the KB-JWT, or nothing
      return;
    }
    disclosures++;
    if (piece) pieces.push({ text: piece, part: "disclosure", index: disclosures });
    parts.push("disclosure");
  });
  if (trail) pieces.push({ text: trail, part: "prefix" });
  return { pieces, parts: [...new Set(parts)], disclosures };
}

/**
 * The class names of a piece: `seg seg-<part>`, and for a disclosure which
 * of the two alternating colours it has, for a KB-JWT segment `seg-kb`.
 * @param {Piece} piece
 */
export function pieceClass(piece) {
  let name = `seg seg-${piece.part}`;
  if (piece.index !== undefined) name += piece.index % 2 ? " seg-odd" : " seg-even";
  if (piece.kb) name += " seg-kb";
  return name;
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
    span.className = pieceClass(piece);
    if (piece.index !== undefined) span.dataset.disclosure = String(piece.index);
    span.textContent = piece.text;
    frag.append(span);
  }
  el.replaceChildren(frag);
}
