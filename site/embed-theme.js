// @ts-check
// Applies the embed's theme= option before the first paint, so a dark
// documentation page never flashes a white frame. A classic,
// render-blocking script: the embed's CSP forbids inline scripts.
// theme=light|dark forces a theme; auto (the default) follows the reader's
// system preference through prefers-color-scheme in app.css.
(() => {
  const theme = new URLSearchParams(location.hash.slice(1)).get("theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
})();
