// @ts-check
/**
 * Every custom element of tokenlab's pages, defined in one place. Each
 * class carries its own default tag (`static tag`), so no tag is written
 * twice: pages call defineElements(), and the sign-in flow, the largest
 * part of the page's code, loads and defines itself on demand through
 * defineFlow().
 *
 * <token-playground>, in tokenlab-element.js, is not here: it is the one
 * element other sites load, and importing its module is what defines it.
 */
import { TlChecklist } from "./tl-checklist.js";
import { TlClaimsTable } from "./tl-claims-table.js";
import { TlCompare } from "./tl-compare.js";
import { TlCopyButton } from "./tl-copy-button.js";
import { TlDisclosePicker } from "./tl-disclose-picker.js";
import { TlDisclosures } from "./tl-disclosures.js";
import { TlDownloadButton } from "./tl-download-button.js";
import { TlFindings } from "./tl-findings.js";
import { TlGuideTable } from "./tl-guide-table.js";
import { TlJsonView } from "./tl-json-view.js";
import { TlKindSummary } from "./tl-kind-summary.js";
import { TlPurpose } from "./tl-purpose.js";
import { TlSdJwt } from "./tl-sd-jwt.js";
import { TlShare } from "./tl-share.js";
import { TlTabs } from "./tl-tabs.js";
import { TlThemeToggle } from "./tl-theme-toggle.js";
import { TlTokenCard } from "./tl-token-card.js";
import { TlTokenEditor } from "./tl-token-editor.js";
import { TlTokenView } from "./tl-token-view.js";
import { TlVerdict } from "./tl-verdict.js";

/** The elements of the playground, the embed and the docs page. */
export const ELEMENTS = Object.freeze([
  TlChecklist,
  TlClaimsTable,
  TlCompare,
  TlCopyButton,
  TlDisclosePicker,
  TlDisclosures,
  TlDownloadButton,
  TlFindings,
  TlGuideTable,
  TlJsonView,
  TlKindSummary,
  TlPurpose,
  TlSdJwt,
  TlShare,
  TlTabs,
  TlThemeToggle,
  TlTokenCard,
  TlTokenEditor,
  TlTokenView,
  TlVerdict,
]);

/**
 * Defines every element under its default tag; a tag already defined (by
 * another copy of tokenlab on the page) is left as it is.
 * @param {CustomElementRegistry} [registry]
 */
export function defineElements(registry = customElements) {
  for (const element of ELEMENTS) element.define(undefined, registry);
}

/**
 * Loads the sign-in flow simulator and defines <tl-flow> and
 * <tl-flow-token>, with the elements they use.
 * @param {CustomElementRegistry} [registry]
 */
export async function defineFlow(registry = customElements) {
  const { TlFlow, TlFlowToken } = await import("../flow/tl-flow.js");
  defineElements(registry);
  TlFlowToken.define(undefined, registry);
  TlFlow.define(undefined, registry);
}
