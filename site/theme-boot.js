// @ts-check
// Applies the saved colour theme before the first paint (a classic,
// render-blocking script: the page's CSP forbids inline scripts).
try {
  const saved = JSON.parse(localStorage.getItem("tokenlab:v1") || "{}");
  if (saved.theme === "light" || saved.theme === "dark") document.documentElement.dataset.theme = saved.theme;
} catch {
  /* no storage: follow the system theme */
}
