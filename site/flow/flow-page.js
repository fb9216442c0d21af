// @ts-check
/**
 * The playground's entry for the sign-in flow section. The simulator is the
 * largest part of the page's code and sits at the bottom, so it loads when
 * its section comes near the viewport, or at once for a #flow= deep link;
 * the inspector at the top never waits for it. The markup is in index.html.
 */

const section = document.getElementById("sign-in-flow");
let loading = false;

function load() {
  if (loading) return;
  loading = true;
  import("./tl-flow.js").then(({ defineFlow }) => defineFlow());
}

if (!section || !("IntersectionObserver" in window) || /(^|[#&])flow=/.test(location.hash)) {
  load();
} else {
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      load();
    }
  }, { rootMargin: "800px 0px" });
  observer.observe(section);
  window.addEventListener("hashchange", () => {
    if (/(^|[#&])flow=/.test(location.hash)) load();
  });
}
