// @ts-check
/**
 * The Mint section's DPoP form (RFC 9449): a client key generated in the
 * page, an access token the current key signs bound to it (cnf.jkt, the
 * key's RFC 7638 thumbprint, §6.1) and a proof for one request (htm, htu,
 * optionally the server's nonce; ath, the token's hash, §4.2). It shows
 * the thumbprint and where it appears, and both tokens as cards that hand
 * them to Inspect or Verify.
 *
 * The client's private key lives in this module only, for the page's
 * lifetime: it is never saved with the page's state.
 */
import { tokenlab } from "../tokenlab.js";
import { $, field, button, showError, messageOf } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../state.js").Key} Key */
/** @typedef {import("../elements/tl-token-card.js").TlTokenCard} TlTokenCard */
/** @typedef {{ signingKey: () => Promise<Key> }} Keys */
/** @typedef {import("../tokenlab.js").Key} ClientKey */

/**
 * Wires the DPoP form.
 * @param {{ store: Store, keys: Keys }} deps
 */
export function init({ store, keys }) {
  /** @type {ClientKey | null} */
  let client = null;

  $("dpop-form").addEventListener("input", (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    if (t.id === "dpop-htm") store.set("dpop", { htm: t.value });
    if (t.id === "dpop-htu") store.set("dpop", { htu: t.value });
    if (t.id === "dpop-nonce") store.set("dpop", { nonce: t.value });
  });

  $("dpop-new-key").addEventListener("click", async () => {
    button("dpop-new-key").disabled = true;
    showError("dpop-error");
    try {
      client = await tokenlab.generateKey({ alg: "ES256" });
      renderKey();
    } catch (err) {
      showError("dpop-error", messageOf(err));
    } finally {
      button("dpop-new-key").disabled = false;
    }
  });

  $("dpop-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    button("dpop-mint").disabled = true;
    showError("dpop-error");
    try {
      await mintBound();
    } catch (err) {
      showError("dpop-error", messageOf(err));
    } finally {
      button("dpop-mint").disabled = false;
    }
  });

  /**
   * The client key, generated when there is none yet.
   * @returns {Promise<ClientKey>}
   */
  async function clientKey() {
    const c = client ?? await tokenlab.generateKey({ alg: "ES256" });
    client = c;
    renderKey();
    return c;
  }

  /** Mints the bound access token and a proof for the form's request. */
  async function mintBound() {
    const d = store.state.dpop;
    const c = await clientKey();
    const key = await keys.signingKey();
    const at = await tokenlab.mint({ kind: "access_token", key, dpopKey: c.publicJwk });
    const proof = await tokenlab.mint({ kind: "dpop_proof", key: c.privateJwk, htm: d.htm, htu: d.htu.trim(), accessToken: at.token, ...(d.nonce.trim() ? { nonce: d.nonce.trim() } : {}) });
    store.set("minted", { dpop_access_token: at.token, dpop_proof: proof.token });
    renderMinted(at.payload?.cnf?.jkt ?? "", proof.payload?.ath ?? "");
  }

  function renderKey() {
    $("dpop-key-note").textContent = client ? `Client key: ES256, thumbprint ${client.thumbprint}.` : "No client key yet: minting generates one.";
  }

  /**
   * Shows the minted pair and where the thumbprint appears.
   * @param {string} jkt the access token's cnf.jkt
   * @param {string} ath the proof's ath
   */
  function renderMinted(jkt, ath) {
    const m = store.state.minted;
    const shown = !!(m.dpop_access_token && m.dpop_proof);
    $("dpop-minted").hidden = !shown;
    if (!shown) return;
    $("dpop-thumb").textContent = client?.thumbprint ?? "(the client key of an earlier visit)";
    $("dpop-cnf").textContent = jkt;
    $("dpop-ath").textContent = ath;
    /** @type {TlTokenCard} */ ($("dpop-at-card")).token = m.dpop_access_token ?? "";
    /** @type {TlTokenCard} */ ($("dpop-proof-card")).token = m.dpop_proof ?? "";
  }

  function render() {
    const d = store.state.dpop;
    field("dpop-htm").value = d.htm;
    if (field("dpop-htu").value !== d.htu) field("dpop-htu").value = d.htu;
    if (field("dpop-nonce").value !== d.nonce) field("dpop-nonce").value = d.nonce;
    renderKey();
    $("dpop-minted").hidden = !client || !store.state.minted.dpop_proof;
  }

  /** The client key, for the simulator (generated when there is none). */
  return { render, clientKey };
}
