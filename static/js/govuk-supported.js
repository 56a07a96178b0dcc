// Runs before first paint so GOV.UK Frontend's JS-enhanced styles apply without a flash.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
