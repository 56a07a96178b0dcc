// The whole case on one page: each answer saves as it is made, evidence notes as they are typed.
// Without JavaScript the page's Save button posts everything through the same save.
//
// Every change goes first into this browser's storage (localStorage), keyed by case and question
// with the version of the answer the page loaded, and leaves it only once the server has saved
// it. So nothing is lost when the network drops or the tab closes: the changes waiting are sent
// again when the network returns and when the case is next opened, through the same versioned
// save, and an answer someone else changed meanwhile comes back as a conflict to choose from.
const form = document.querySelector("form[data-save-url]");

const STATUS_TEXT = document.getElementById("save-status-text");
const SHORTCUTS_SETTING = "case-answers:shortcuts";

// Routine news ("Saving…", "Saved 10:42:13") is shown but not read out on every answer, which
// would interrupt someone answering by keyboard; problems, offline and waiting changes are.
function sayQuietly(...parts) {
  STATUS_TEXT.setAttribute("aria-live", "off");
  show(parts);
}

function say(...parts) {
  STATUS_TEXT.setAttribute("aria-live", "polite");
  show(parts);
}

function show(parts) {
  // parts: strings, or [text, href] for a link
  STATUS_TEXT.replaceChildren(
    ...parts.map((part) => {
      if (typeof part === "string") return document.createTextNode(part);
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.textContent = part[0];
      link.href = part[1];
      return link;
    }),
  );
}

// A link in the status to something to fix takes focus there (as the GOV.UK error summary does).
STATUS_TEXT?.addEventListener("click", (event) => {
  const href = event.target.closest("a")?.getAttribute("href") || "";
  const target = href.startsWith("#") && document.getElementById(href.slice(1));
  if (!target) return;
  event.preventDefault();
  // A prompt to fix may sit in collapsed prompts: open them first, or focus goes nowhere.
  const closed = target.closest("details");
  if (closed) closed.open = true;
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
});

const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

if (form) {
  // Per user as well as per case: on a shared laptop, one inspector's waiting changes are never
  // sent under the next one's sign-in.
  const storageKey = `case-answers:${form.dataset.user}:${form.dataset.case}`;
  const stemOfName = (name) => name.replace(/-(value|note)$/, "");
  const stemOfCode = (code) => "q" + code.replaceAll(".", "-");
  const field = (stem, part) => form.elements.namedItem(`${stem}-${part}`);
  const reasonBox = form.elements.namedItem("reason");
  let timer = null;
  let inFlight = false;
  let again = false;
  let blocked = ""; // why saving waits: "reason", "signed_out" or "conflict"

  // --- the queue of changes waiting to be saved -------------------------------------------
  function loadQueue() {
    try {
      return JSON.parse(localStorage.getItem(storageKey)) || {};
    } catch {
      return {};
    }
  }

  function storeQueue(queue) {
    try {
      if (Object.keys(queue).length) localStorage.setItem(storageKey, JSON.stringify(queue));
      else localStorage.removeItem(storageKey);
    } catch {
      // storage full or refused: the changes are still on the page
    }
  }

  function readQuestion(stem) {
    const checked = form.querySelector(`input[name="${stem}-value"]:checked`);
    const note = field(stem, "note");
    const loadedNote = field(stem, "loadednote");
    return {
      value: checked ? checked.value : "",
      note: note ? note.value : null,
      version: field(stem, "version").value,
      loaded: field(stem, "loaded").value,
      loadednote: loadedNote ? loadedNote.value : null,
    };
  }

  function showQuestion(stem, entry) {
    // Put a waiting change back on the page, with the version it was made against.
    for (const radio of form.querySelectorAll(`input[name="${stem}-value"]`)) {
      radio.checked = radio.value === entry.value;
    }
    if (entry.note !== null && field(stem, "note")) field(stem, "note").value = entry.note;
    field(stem, "version").value = entry.version;
    field(stem, "loaded").value = entry.loaded;
    if (entry.loadednote !== null && field(stem, "loadednote")) {
      field(stem, "loadednote").value = entry.loadednote;
    }
    collapsePrompts(`${stem}-value`);
  }

  function queueChange(name) {
    const stem = stemOfName(name);
    if (!field(stem, "version")) return;
    const queue = loadQueue();
    queue[stem] = readQuestion(stem);
    storeQueue(queue);
  }

  // --- saving ---------------------------------------------------------------------------
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function waiting() {
    return Object.keys(loadQueue()).length;
  }

  function sayWaiting(prefix) {
    const count = waiting();
    say(`${prefix}: ${plural(count, "change")} waiting. They are kept in this browser and saved when the connection returns.`);
  }

  function body(queue) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
    if (reasonBox) data.append("reason", reasonBox.value);
    for (const [stem, entry] of Object.entries(queue)) {
      data.append(`${stem}-value`, entry.value);
      data.append(`${stem}-version`, entry.version);
      data.append(`${stem}-loaded`, entry.loaded);
      if (entry.note !== null) data.append(`${stem}-note`, entry.note);
      if (entry.loadednote !== null) data.append(`${stem}-loadednote`, entry.loadednote);
    }
    return data;
  }

  function remember(saved, sent) {
    // The saved answers' new versions go on the page and into anything still waiting; a change
    // saved as it was sent leaves the queue.
    const queue = loadQueue();
    for (const [code, answer] of Object.entries(saved)) {
      const stem = stemOfCode(code);
      field(stem, "version").value = answer.version;
      field(stem, "loaded").value = answer.value;
      if (field(stem, "loadednote")) field(stem, "loadednote").value = answer.note_digest;
    }
    for (const [stem, entry] of Object.entries(sent)) {
      const now = queue[stem];
      if (!now) continue;
      const code = Object.keys(saved).find((c) => stemOfCode(c) === stem);
      if (now.value === entry.value && now.note === entry.note) {
        if (code || !conflicts.has(stem)) delete queue[stem];
      } else if (code) {
        Object.assign(now, {
          version: String(saved[code].version),
          loaded: saved[code].value,
          loadednote: saved[code].note_digest,
        });
      }
    }
    // Another tab on this case may have sent what this one shows differently: where nothing of
    // this tab's waits any more, show what was saved, so a later Save never sends a stale answer
    // under the new version.
    for (const [code, answer] of Object.entries(saved)) {
      const stem = stemOfCode(code);
      if (queue[stem]) continue;
      for (const radio of form.querySelectorAll(`input[name="${stem}-value"]`)) {
        radio.checked = radio.value === answer.value;
      }
      const note = field(stem, "note");
      if (note && sent[stem] && sent[stem].note !== null) note.value = sent[stem].note;
    }
    storeQueue(queue);
  }

  const conflicts = new Set();

  function showStatuses(statuses) {
    for (const [code, status] of Object.entries(statuses)) {
      const tag = form.ownerDocument.querySelector(`[data-status-for="${code}"]`);
      if (!tag) continue;
      tag.textContent = status.label;
      tag.className = `govuk-tag app-case-nav__tag ${status.tag}`.trim();
    }
  }

  async function flush() {
    const sent = loadQueue();
    if (!Object.keys(sent).length || blocked) return;
    if (inFlight) {
      again = true;
      return;
    }
    if (!navigator.onLine) {
      sayWaiting("Offline");
      return;
    }
    inFlight = true;
    sayQuietly("Saving…");
    try {
      const response = await fetch(form.dataset.saveUrl, {
        method: "POST",
        body: body(sent),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.status === 401) {
        blocked = "signed_out";
        say("You have been signed out: your changes are kept in this browser. ", ["Sign in again", `/login/?next=${encodeURIComponent(location.pathname)}`], " and they will be saved when you come back to this case.");
        return;
      }
      if (response.status >= 500 || !response.headers.get("content-type")?.includes("json")) {
        throw new Error(`server answered ${response.status}`);
      }
      const data = await response.json();
      if (data.error === "needs_reason") {
        blocked = "reason";
        say(`Not saved yet: ${data.message}, kept in the change history. `, ["Give the reason for change", "#reason"], `, then your ${plural(waiting(), "change")} will save.`);
        return;
      }
      if (data.error === "invalid") {
        // Only what the server named leaves the queue (it stays on the page to be fixed); the
        // rest waits and is sent again, never dropped with it.
        const [id, message] = Object.entries(data.errors)[0] || ["", "the page is damaged"];
        const refused = new Set(Object.keys(data.errors).map(stemOfName));
        const queue = loadQueue();
        const dropped = [...refused].filter((stem) => stem in queue);
        for (const stem of dropped) delete queue[stem];
        storeQueue(queue);
        say("Not saved: ", [message, `#${id}`], `. Fix it and select Save; ${plural(waiting(), "other change")} waiting.`);
        // Send the others again only if this answer took something out: never a loop.
        if (waiting() && dropped.length) again = true;
        return;
      }
      if (!response.ok && response.status !== 409) {
        blocked = "read_only";
        say("Your changes cannot be saved: this case is read-only for you now.");
        return;
      }
      for (const code of data.conflicts || []) conflicts.add(stemOfCode(code));
      remember(data.saved || {}, sent);
      showStatuses(data.statuses || {});
      document.dispatchEvent(new Event("app:session-renewed"));
      form.dataset.saveCount = String(Number(form.dataset.saveCount || 0) + 1);
      if (response.status === 409) {
        // Someone else changed an answer: the page shows both to choose from, as a section does.
        blocked = "conflict";
        say("Someone else changed an answer you changed. Showing both versions…");
        form.requestSubmit(form.querySelector("button[name=save]"));
        return;
      }
      const fixes = data.fixes || [];
      if (fixes.length) {
        say("Saved: ", [`${plural(fixes.length, "thing")} to fix`, fixes[0].href], ` (${fixes[0].message})`);
      } else {
        sayQuietly(`Saved ${data.saved_at}`);
      }
    } catch {
      sayWaiting(navigator.onLine ? "Could not reach the server" : "Offline");
    } finally {
      inFlight = false;
      if (again && !blocked) {
        again = false;
        schedule(100);
      }
    }
  }

  // --- prompts under a key question answered not applicable ----------------------------------
  function collapsePrompts(name) {
    const details = form.querySelector(`details[data-prompts-for="${name}"]`);
    if (!details) return;
    const checked = form.querySelector(`input[name="${name}"]:checked`);
    const notApplicable = checked?.value === "na";
    details.open = !notApplicable;
    details.querySelector(".app-prompts-na").hidden = !notApplicable;
  }

  form.addEventListener("change", (event) => {
    // The reason for change is sent once it is finished (the box left), never half-typed: it
    // goes into the change history as it is.
    if (event.target === reasonBox) {
      if (blocked === "reason") blocked = "";
      schedule(150);
      return;
    }
    const name = event.target.name || "";
    if (!/^q[\w-]+-(value|note)$/.test(name)) return;
    collapsePrompts(name);
    queueChange(name);
    schedule(150);
  });
  form.addEventListener("input", (event) => {
    if (event.target.tagName !== "TEXTAREA") return;
    if (event.target === reasonBox) return;
    queueChange(event.target.name);
    schedule(1000);
  });
  form.addEventListener("submit", () => {
    // The whole form carries every answer: background saves stop racing it.
    blocked = blocked || "submitting";
    clearTimeout(timer);
  });
  window.addEventListener("online", () => {
    if (blocked !== "conflict" && blocked !== "submitting") flush();
  });
  window.addEventListener("offline", () => {
    if (waiting()) sayWaiting("Offline");
    else say("Offline: changes you make are kept in this browser until the connection returns.");
  });

  // --- opening the case: what was waiting goes back on the page and is sent again -----------
  const shownConflicts = (form.dataset.conflicts || "").split(" ").filter(Boolean);
  if (shownConflicts.length) {
    // The page shows these conflicts with the person's own answers: they wait on their choice.
    const queue = loadQueue();
    for (const code of shownConflicts) delete queue[stemOfCode(code)];
    storeQueue(queue);
  }
  const queued = loadQueue();
  for (const [stem, entry] of Object.entries(queued)) {
    if (field(stem, "version")) showQuestion(stem, entry);
    else delete queued[stem]; // a question this page no longer asks
  }
  storeQueue(queued);
  if (Object.keys(queued).length) {
    sayWaiting(navigator.onLine ? "Saving what was waiting" : "Offline");
    flush();
  } else if (!STATUS_TEXT.querySelector("a")) {
    say("Answers save as you choose them; evidence notes as you type.");
  }

  // --- keyboard shortcuts (WCAG 2.1.4: listed on the page, and can be turned off) ------------
  const shortcuts = document.getElementById("shortcuts");
  const toggle = document.getElementById("use-shortcuts");
  if (shortcuts && toggle) {
    shortcuts.hidden = false;
    toggle.checked = localStorage.getItem(SHORTCUTS_SETTING) !== "off";
    toggle.addEventListener("change", () => {
      localStorage.setItem(SHORTCUTS_SETTING, toggle.checked ? "on" : "off");
    });
    const KEYS = { y: "yes", n: "no", a: "na" };

    const questionNames = () => {
      const names = [];
      for (const radio of form.querySelectorAll('input[type="radio"][name$="-value"]')) {
        if (!names.includes(radio.name) && radio.checkVisibility()) names.push(radio.name);
      }
      return names;
    };

    const focusQuestion = (name) => {
      const radios = [...form.querySelectorAll(`input[name="${name}"]`)];
      (radios.find((r) => r.checked) || radios[0]).focus();
    };

    form.addEventListener("keydown", (event) => {
      const target = event.target;
      if (!toggle.checked || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target.type !== "radio" || !/^q[\w-]+-value$/.test(target.name)) return;
      const key = event.key.toLowerCase();
      if (key in KEYS) {
        const radio = form.querySelector(`input[name="${target.name}"][value="${KEYS[key]}"]`);
        if (!radio || radio.disabled) return;
        event.preventDefault();
        radio.checked = true;
        radio.focus();
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (key === "j" || key === "k") {
        const names = questionNames();
        const next = names[names.indexOf(target.name) + (key === "j" ? 1 : -1)];
        event.preventDefault();
        if (next) focusQuestion(next);
      }
    });
  }
}
