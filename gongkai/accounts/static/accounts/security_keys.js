// After django-otp-webauthn has registered a key, open the list with the new key's name field
// ready, so the person names it at once (a file, not an inline script: the pages' CSP allows none).
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const url = new URL(window.location.href);
  url.searchParams.set("new", String(event.detail.id));
  window.location.assign(url.toString());
});
