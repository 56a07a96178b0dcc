// Background saving for a case section. Without JavaScript the Save buttons do the same job.
// Only changed questions are sent, each with the version it was loaded at, so the server can
// refuse to overwrite someone else's newer answer (the page then shows both to choose from).
const form = document.querySelector("form[data-autosave-url]");

if (form) {
  const status = document.getElementById("autosave-status");
  const saveButton = form.querySelector("button[name=save]");
  const dirty = new Set();
  let timer = null;
  let inFlight = false;
  let stopped = false;

  const stemOf = (name) => name.replace(/-(value|note)$/, "");
  const stemOfCode = (code) => "q" + code.replaceAll(".", "-");
  const say = (text) => {
    status.textContent = text;
  };

  function changed(name, delay) {
    if (stopped || !/^q[\w-]+-(value|note)$/.test(name)) return;
    dirty.add(stemOf(name));
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function body(stems) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
    for (const stem of stems) {
      for (const part of ["version", "loaded", "loadednote", "note"]) {
        const field = form.elements.namedItem(`${stem}-${part}`);
        if (field) data.append(field.name, field.value);
      }
      const checked = form.querySelector(`input[name="${stem}-value"]:checked`);
      data.append(`${stem}-value`, checked ? checked.value : "");
    }
    return data;
  }

  function remember(saved) {
    for (const [code, answer] of Object.entries(saved)) {
      const stem = stemOfCode(code);
      form.elements.namedItem(`${stem}-version`).value = answer.version;
      form.elements.namedItem(`${stem}-loaded`).value = answer.value;
      const loadedNote = form.elements.namedItem(`${stem}-loadednote`);
      if (loadedNote) loadedNote.value = answer.note_digest;
    }
  }

  async function flush() {
    if (stopped || dirty.size === 0) return;
    if (inFlight) {
      timer = setTimeout(flush, 400);
      return;
    }
    const stems = [...dirty];
    dirty.clear();
    inFlight = true;
    say("Saving…");
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: body(stems),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.status === 401) {
        stopped = true;
        say("You have been signed out. Select Save: after you sign in again your answers will be saved.");
        return;
      }
      const data = await response.json();
      if (data.saved) remember(data.saved);
      if (response.status === 409) {
        // Someone else changed an answer: let the page show both versions to choose from.
        stopped = true;
        say("Someone else changed an answer you are editing. Showing both versions…");
        form.requestSubmit(saveButton);
        return;
      }
      if (!response.ok) {
        stopped = true;
        say("Your latest change could not be saved automatically. Select Save to see why.");
        return;
      }
      say(`Last saved at ${data.saved_at}`);
      document.dispatchEvent(new Event("app:session-renewed"));
      form.dataset.saveCount = String(Number(form.dataset.saveCount || 0) + 1);
    } catch (error) {
      stems.forEach((stem) => dirty.add(stem));
      say("Could not reach the server. Your answers are still on this page: select Save to try again.");
    } finally {
      inFlight = false;
    }
  }

  form.addEventListener("change", (event) => changed(event.target.name, 300));
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA") changed(event.target.name, 1500);
  });
  form.addEventListener("submit", () => {
    // The full form carries every answer; stop background saves racing it.
    stopped = true;
    clearTimeout(timer);
    dirty.clear();
  });
  // Leaving the page with unsaved changes: send them anyway.
  window.addEventListener("pagehide", () => {
    if (!stopped && dirty.size) navigator.sendBeacon(form.dataset.autosaveUrl, body([...dirty]));
  });
}
