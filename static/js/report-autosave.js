// Background saving of one report item's text, as the case pages save answers. Without
// JavaScript the Save button does the same job. Each save sends the sub-section's version the
// page holds; the server refuses a stale one (409), and then the form is submitted normally so
// the page shows both texts to choose from: nothing typed is lost.
const wrapper = document.querySelector("[data-report-autosave]");
const form = wrapper && wrapper.querySelector("form");

if (form) {
  const url = wrapper.dataset.reportAutosave;
  const status = document.getElementById("autosave-status");
  const saveButton = form.querySelector("[type=submit]");
  let timer = null;
  let inFlight = false;
  let dirty = false;
  let stopped = false;

  const say = (text) => {
    status.textContent = text;
  };

  async function flush() {
    if (stopped || !dirty) return;
    if (inFlight) {
      timer = setTimeout(flush, 400);
      return;
    }
    dirty = false;
    inFlight = true;
    say("Saving…");
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.status === 409) {
        stopped = true;
        say("Someone else changed this text. Showing both versions…");
        form.requestSubmit(saveButton);
        return;
      }
      const data = await response.json();
      if (!response.ok) {
        say(`Not saved: ${(data.errors || ["select Save to see why"]).join(" ")}`);
        return;
      }
      form.elements.namedItem("version").value = data.version;
      say(`Saved ${data.saved_at}`);
      form.dataset.saveCount = String(Number(form.dataset.saveCount || 0) + 1);
      document.dispatchEvent(new Event("app:session-renewed"));
    } catch (error) {
      dirty = true;
      say("Could not reach the server. Your text is still on this page: select Save to try again.");
    } finally {
      inFlight = false;
    }
  }

  function changed(delay) {
    if (stopped) return;
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  form.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA") changed(1500);
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "radio") changed(300);
  });
  form.addEventListener("submit", () => {
    stopped = true;
    clearTimeout(timer);
  });
}
