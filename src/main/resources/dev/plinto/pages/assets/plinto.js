// Progressive niceties of the hosted pages; every flow works without this file.
// Focus the error summary after a refused post, so screen readers announce it (WCAG 2.2 SC 3.3.1).
const summary = document.getElementById("error-summary");
if (summary) {
  summary.focus();
}
// A form is sent once: the submit button is disabled while the browser waits for the answer.
for (const form of document.querySelectorAll("form")) {
  form.addEventListener("submit", () => {
    for (const button of form.querySelectorAll("button[type=submit]")) {
      button.setAttribute("aria-disabled", "true");
      button.disabled = true;
    }
  });
}
