// The article change form's live preview: the unsaved form, posted to the admin's
// preview view while the editor types, shown in the frame beside the form
// (same-origin: it inherits the admin's Content-Security-Policy, so no script runs in it).
// Only the admin loads this; readers' pages have no JavaScript.
"use strict";
(function () {
  const pane = document.getElementById("article-preview-pane");
  const form = document.getElementById("article_form");
  if (!pane || !form) {
    return;
  }
  const frame = document.getElementById("article-preview");
  const status = document.getElementById("article-preview-status");
  const phone = document.getElementById("article-preview-phone");
  const DELAY_MS = 400;
  let timer = null;
  let pending = null;
  let scrollY = 0;

  function refresh() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    status.textContent = "Updating…";
    fetch(pane.dataset.previewUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then((response) => {
        if (!response.ok) {
          throw new Error(`the preview answered ${response.status}`);
        }
        return response.text();
      })
      .then((html) => {
        const shown = frame.contentWindow;
        scrollY = shown ? shown.scrollY : 0;
        frame.srcdoc = html;
        status.textContent = "";
      })
      .catch((error) => {
        if (error.name !== "AbortError") {
          status.textContent = `Preview not updated: ${error.message}.`;
        }
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  }

  // Where the editor was reading stays in view as the preview is replaced.
  frame.addEventListener("load", () => frame.contentWindow.scrollTo(0, scrollY));
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // The autocomplete widgets (select2) announce their changes through jQuery only.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(form).on("change", later);
  }
  phone.addEventListener("click", () => {
    phone.setAttribute("aria-pressed", String(pane.classList.toggle("is-phone")));
  });
  refresh();
})();
