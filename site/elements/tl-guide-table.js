// @ts-check
import { TlElement, h, listOf } from "./base.js";
import { purposeFacts, purposeSources, purposeSteps } from "./tl-purpose.js";

/**
 * How the guides are grouped, in order. A kind the engine adds later and no
 * group names joins the last group, so every guide shows.
 */
const GROUPS = /** @type {const} */ ([
  {
    id: "issued",
    title: "Tokens an authorization server issues",
    lead: "The tokens of a sign-in and of API access. Each has one recipient: sending it anywhere else is the classic mistake.",
    kinds: ["id_token", "access_token", "opaque_access_token", "refresh_token", "logout_token"],
  },
  {
    id: "presented",
    title: "JWTs a client or workload presents",
    lead: "Signed by the client itself, or issued to a workload by its platform, and presented to prove who is calling or what it asks for.",
    kinds: ["workload_identity", "client_assertion", "dpop_proof", "request_object"],
  },
  {
    id: "formats",
    title: "Other formats",
    lead: "Security events, selective-disclosure credentials, and JWTs whose kind cannot be told from their claims.",
    kinds: ["security_event", "sd_jwt", "sd_jwt_vc", "jwt", "unknown"],
  },
]);

/** The facts a card shows at once: where the token goes and where it must not. */
const AT_ONCE = ["sendTo", "notFor"];

/**
 * <tl-guide-table> shows every token kind's guide (tokenlab.guide()),
 * grouped — the tokens an authorization server issues, the JWTs a client
 * or workload presents, other formats — one card per kind: what it is,
 * where to send it and where not, and, on request, who issues and
 * validates it, its lifetime and the validation steps, with the sources
 * each guide cites. The cards flow into as many columns as fit, one at
 * 360 px. Set `purposes` to tokenlab.guide().
 */
export class TlGuideTable extends TlElement {
  static tag = "tl-guide-table";
  /** @type {any[]} */ #purposes = [];

  /** Every kind's purpose (tokenlab.guide()). */
  get purposes() { return this.#purposes; }
  set purposes(v) { this.#purposes = listOf(v); this.invalidate(); }

  render() {
    const purposes = this.#purposes;
    if (!purposes.length) {
      this.replaceChildren();
      return;
    }
    const last = GROUPS.length - 1;
    /** @type {(kind: string) => number} */
    const groupOf = (kind) => {
      const i = GROUPS.findIndex((g) => /** @type {readonly string[]} */ (g.kinds).includes(kind));
      return i < 0 ? last : i;
    };
    const out = GROUPS.map((g, i) => {
      const members = purposes.filter((p) => groupOf(p.kind) === i);
      if (!members.length) return null;
      const section = h("section", "guide-group");
      section.dataset.group = g.id;
      const heading = h("h3", "guide-group-title", g.title);
      heading.id = `guide-group-${g.id}`;
      section.setAttribute("aria-labelledby", heading.id);
      const grid = h("div", "guide-grid");
      for (const p of members) grid.append(card(p));
      section.append(heading, h("p", "guide-group-lead", g.lead), grid);
      return section;
    });
    this.replaceChildren(...out.filter((x) => x !== null));
  }
}

/** One kind's guide as a card. @param {any} p */
function card(p) {
  const article = h("article", `guide-card kind-${p.kind}`);
  article.dataset.kind = p.kind;
  article.append(h("h4", "guide-card-title", p.title || p.kind));
  if (p.summary) article.append(h("p", "guide-summary", p.summary));
  const first = Object.fromEntries(AT_ONCE.map((k) => [k, p[k]]));
  const atOnce = purposeFacts(first);
  if (atOnce.childElementCount) article.append(atOnce);
  const rest = { ...p };
  for (const k of AT_ONCE) delete rest[k];
  const more = h("details", "guide-more");
  more.append(h("summary", "", "Who issues and validates it, lifetime, checks"));
  const facts = purposeFacts(rest);
  if (facts.childElementCount) more.append(facts);
  if (p.versus) more.append(h("p", "purpose-versus", p.versus));
  const steps = purposeSteps(p);
  if (steps) more.append(h("p", "guide-steps-title", "How the recipient validates it:"), steps);
  if (more.childElementCount > 1) article.append(more);
  const sources = purposeSources(p);
  if (sources) article.append(sources);
  return article;
}
