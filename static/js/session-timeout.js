// Warns before an idle session ends, and lets the person stay signed in without leaving the page.
const body = document.body;
const total = Number(body.dataset.sessionSeconds || 0);
const dialog = document.getElementById("session-timeout");

if (total && dialog) {
  const warnBefore = Math.min(Number(body.dataset.sessionWarning || 300), total);
  const form = dialog.querySelector("form");
  const title = dialog.querySelector("h2");
  const text = dialog.querySelector("p");
  let warnTimer = null;
  let endTimer = null;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    dialog.hidden = true;
    warnTimer = setTimeout(warn, (total - warnBefore) * 1000);
    endTimer = setTimeout(signedOut, total * 1000);
  };

  function warn() {
    const minutes = Math.max(1, Math.round(warnBefore / 60));
    title.textContent = "You will be signed out soon";
    text.textContent = `You will be signed out in about ${minutes} minute${minutes > 1 ? "s" : ""} without activity. Anything you have typed stays on this page.`;
    form.hidden = false;
    dialog.hidden = false;
    form.querySelector("button").focus();
  }

  function signedOut() {
    title.textContent = "You have been signed out";
    text.textContent =
      "Your session ended. Anything typed on this page is still here: select Save and sign in again to keep it.";
    form.hidden = true;
    dialog.hidden = false;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    if (response.ok) schedule();
    else signedOut();
  });
  document.addEventListener("app:session-renewed", schedule);
  schedule();
}
