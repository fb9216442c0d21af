// @ts-check
/**
 * Section 6, the sign-in flow: the simulator is the largest part of the
 * page's code and sits at the bottom, so it loads when its section comes
 * near the viewport, or at once for a #flow= deep link; the inspector at
 * the top never waits for it. The markup is in index.html.
 */
import { defineFlow } from "../elements/index.js";

const FLOW_LINK = /(^|[#&])flow=/;

/** Loads the simulator when it is about to be seen or is linked to. */
export function init() {
  const section = document.getElementById("sign-in-flow");
  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    defineFlow();
  };
  if (!section || !("IntersectionObserver" in window) || FLOW_LINK.test(location.hash)) {
    load();
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      load();
    }
  }, { rootMargin: "800px 0px" });
  observer.observe(section);
  window.addEventListener("hashchange", () => {
    if (FLOW_LINK.test(location.hash)) load();
  });
}
