// Evaluated by `make bench` in the real playground page as
// `(THIS)(sub, token)`: pastes one token into the textarea labelled "Token"
// the way a browser does (a cancelable "paste" event, then the text, then an
// "input" event with inputType insertFromPaste, all in one task) and times
// until a visible claims table shows the token's `sub`, and until the frame
// after that has painted. It relies on no element id: only the label text
// and the <tl-claims-table> element.
async (sub, token) => {
  const label = [...document.querySelectorAll("label")].find((l) => l.textContent.trim() === "Token");
  const ta = label && label.control;
  if (!(ta instanceof HTMLTextAreaElement)) throw new Error('bench: no textarea labelled "Token" on the page');
  const shown = () => [...document.querySelectorAll("tl-claims-table")].some((t) => t.checkVisibility() && t.textContent.includes(sub));
  const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(null);
  }));
  ta.focus();
  ta.select();
  let changed = null; // when the editor announced the token (tl-token-change)
  document.addEventListener("tl-token-change", () => { changed = performance.now(); }, { capture: true, once: true });
  const t0 = performance.now();
  const data = new DataTransfer();
  data.setData("text/plain", token);
  const paste = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true, composed: true });
  if (ta.dispatchEvent(paste)) {
    ta.setRangeText(token, ta.selectionStart, ta.selectionEnd, "end");
    ta.dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste", bubbles: true, composed: true }));
  }
  const dom = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { mo.disconnect(); reject(new Error("bench: the claims did not render within 10 s of the paste")); }, 10000);
    const mo = new MutationObserver(() => {
      if (!shown()) return;
      mo.disconnect();
      clearTimeout(timer);
      resolve(performance.now());
    });
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    if (shown()) { mo.disconnect(); clearTimeout(timer); resolve(performance.now()); }
  });
  const painted = await afterPaint();
  return { dom: dom - t0, painted: painted - t0, change: changed === null ? -1 : changed - t0, t0, t1: painted };
}
