// @ts-check
import { TlElement, h, compact } from "./base.js";

/**
 * The claims that differ between the ID token and the access token of one
 * sign-in, and why. UI teaching copy; the references match the checks the
 * engine runs. A `why` that depends on the values (vendors type and name
 * things their own way) is a function of the ID token's and the access
 * token's value.
 * @type {{ where: "header" | "payload", name: string, why: string | ((id: unknown, access: unknown) => string), ref: string }[]}
 */
const ROWS = [
  { where: "header", name: "typ", ref: "RFC 9068 §2.1, RFC 8725 §3.11",
    why: (_id, access) => access === "at+jwt"
      ? "The access token is typed at+jwt so that no one can pass it off as an ID token, or the other way round."
      : `This issuer types its access tokens ${access === undefined ? "not at all" : JSON.stringify(access)}, not at+jwt as RFC 9068 recommends, so the header does not tell them from ID tokens: an API must tell them apart by aud and the issuer's own claims.` },
  { where: "payload", name: "aud", why: "The ID token is addressed to your app (its client id); the access token to the API it unlocks. Each recipient must reject tokens not addressed to it.", ref: "OIDC Core §2, RFC 9068 §4" },
  { where: "payload", name: "scope", why: "Scopes are permissions for the API, so they live in the access token. The ID token describes the sign-in, not what the app may do.", ref: "RFC 9068 §2.2.3" },
  { where: "payload", name: "scp", why: "The scopes again, under the name this issuer uses (RFC 9068 calls the claim scope): permissions for the API, so only the access token has them.", ref: "RFC 9068 §2.2.3" },
  { where: "payload", name: "client_id", why: "The access token names the app it was issued to; in the ID token, aud already is that app.", ref: "RFC 9068 §2.2" },
  { where: "payload", name: "azp", why: "The authorized party: the client the token was issued to. This issuer names the client in azp instead of RFC 9068's client_id.", ref: "OIDC Core §2, RFC 9068 §2.2" },
  { where: "payload", name: "cid", why: "Okta's name for the client the access token was issued to, where RFC 9068 says client_id.", ref: "Okta access tokens, RFC 9068 §2.2" },
  { where: "payload", name: "nonce", why: "Your app sent this random value when it started the sign-in; finding it in the ID token proves the token answers that request (no replay). APIs never see it.", ref: "OIDC Core §3.1.2.1" },
  { where: "payload", name: "at_hash", why: "Half of the access token's hash: it binds the two tokens of one response so your app can tell the access token was not swapped.", ref: "OIDC Core §3.1.3.8" },
  { where: "payload", name: "auth_time", why: "When the user actually authenticated: your app uses it (with max_age) to decide whether to ask for a fresh login.", ref: "OIDC Core §2" },
  { where: "payload", name: "sub", why: "Same user in both: one sign-in produced the two tokens.", ref: "OIDC Core §2" },
  { where: "payload", name: "iss", why: "Same issuer: both were signed by the identity provider with the same key.", ref: "RFC 9068 §2.2" },
];

/**
 * <tl-compare> puts the ID token and access token of one sign-in side by
 * side and explains each difference. Set `pair` to
 * { id: {header, payload}, access: {header, payload} }.
 *
 * @typedef {{id: {header: any, payload: any}, access: {header: any, payload: any}}} Pair
 */
export class TlCompare extends TlElement {
  static tag = "tl-compare";
  /** @type {Pair | null} */ #pair = null;

  /** The two decoded tokens of one sign-in, or null to show nothing. */
  get pair() { return this.#pair; }
  set pair(v) { this.#pair = v; this.invalidate(); }

  render() {
    const pair = this.#pair;
    if (!pair) {
      this.replaceChildren();
      return;
    }
    const table = h("table", "compare");
    table.append(h("caption", "", "The same sign-in produced these two tokens. Here is why they differ."));
    const head = h("tr");
    for (const label of ["Claim", "ID token", "Access token", "Why"]) {
      const th = h("th", "", label);
      th.scope = "col";
      head.append(th);
    }
    const thead = h("thead");
    thead.append(head);
    const tbody = h("tbody");
    for (const row of ROWS) {
      const a = pair.id?.[row.where]?.[row.name];
      const b = pair.access?.[row.where]?.[row.name];
      if (a === undefined && b === undefined) continue;
      const same = JSON.stringify(a) === JSON.stringify(b);
      const tr = h("tr", same ? "same" : "differs");
      tr.dataset.claim = row.name;
      const name = h("th", "");
      name.scope = "row";
      name.append(h("code", "", row.name));
      if (row.where === "header") name.append(h("span", "tag", "header"));
      tr.append(name, cell(a, "ID token"), cell(b, "Access token"));
      const why = h("td", "compare-why");
      why.dataset.label = "Why";
      why.append(h("span", "", typeof row.why === "function" ? row.why(a, b) : row.why), " ", h("span", "ref", row.ref));
      tr.append(why);
      tbody.append(tr);
    }
    table.append(thead, tbody);
    this.replaceChildren(table);
  }
}

/** @param {unknown} value @param {string} label */
function cell(value, label) {
  const td = h("td", "val");
  td.dataset.label = label;
  if (value === undefined) {
    td.append(h("span", "absent", "—"), h("span", "sr-only", "absent"));
  } else {
    td.append(h("code", "", compact(value)));
  }
  return td;
}
