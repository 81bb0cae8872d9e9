// Live reload for `karabakh-site serve`: poll the server's status; reload when a new build
// is ready; show a content error over the page while the last good pages stay online.
(() => {
  const STATUS = "/__karabakh__/status";
  let seen = null;
  let overlay = null;

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "karabakh-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "margin:0;padding:1rem 1.25rem;background:#3b0d0d;color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "white-space:pre-wrap;border-top:4px solid #ff6b6b";
      document.body.append(overlay);
    }
    overlay.textContent = "karabakh-site: the last change could not be built; showing the last good version.\n\n" + text;
  }

  async function poll() {
    try {
      const status = await (await fetch(STATUS, { cache: "no-store" })).json();
      if (seen !== null && status.generation !== seen && !status.error) location.reload();
      seen = status.generation;
      if (status.error) showError(status.error);
      else if (overlay) { overlay.remove(); overlay = null; }
    } catch (error) {
      // The server is restarting or stopped; try again.
    }
    setTimeout(poll, 250);
  }
  poll();
})();
