// Progressive niceties of the hosted pages; every flow but passkeys works without this file.
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

// Passkeys (WebAuthn). A form with data-passkey runs a ceremony: it posts its own fields (CSRF token, mfa_token) to
// its data-options URL for the options, hands them to navigator.credentials, and posts the credential's JSON in its
// "credential" field like any other form. Such forms are hidden until this script shows them.
const webAuthn = typeof window.PublicKeyCredential === "function" && navigator.credentials;

const b64url = {
  decode(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64 + "===".slice((base64.length + 3) % 4)), (c) => c.charCodeAt(0)).buffer;
  },
  encode(buffer) {
    let text = "";
    for (const byte of new Uint8Array(buffer)) {
      text += String.fromCharCode(byte);
    }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
};

// PublicKeyCredential.parse…FromJSON and toJSON (WebAuthn Level 3), with a fallback for browsers without them.
function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: b64url.decode(json.challenge),
    user: { ...json.user, id: b64url.decode(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: b64url.decode(c.id) })),
  };
}

function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: b64url.decode(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: b64url.decode(c.id) })),
  };
}

function credentialJson(credential) {
  if (typeof credential.toJSON === "function") {
    return credential.toJSON();
  }
  const r = credential.response;
  const response = { clientDataJSON: b64url.encode(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = b64url.encode(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = b64url.encode(r.authenticatorData);
    response.signature = b64url.encode(r.signature);
    if (r.userHandle) {
      response.userHandle = b64url.encode(r.userHandle);
    }
  }
  return {
    id: credential.id,
    rawId: b64url.encode(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

class Refusal extends Error {}

// The options for a ceremony, posted as a form with the page's CSRF token; a refusal throws its sentence.
async function fetchOptions(form) {
  const fields = new URLSearchParams(new FormData(form));
  fields.delete("credential");
  const answer = await fetch(form.dataset.options, {
    method: "POST",
    body: fields,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!answer.ok) {
    let message = answer.status === 403 && form.dataset.reauthenticate ? form.dataset.reauthenticate : form.dataset.failed;
    if ((answer.headers.get("Content-Type") || "").startsWith("application/json")) {
      message = (await answer.json()).message || message;
    }
    throw new Refusal(message);
  }
  return answer.json();
}


function submitCredential(form, credential) {
  form.elements.credential.value = JSON.stringify(credentialJson(credential));
  form.submit();
}

function showError(form, message) {
  const error = form.querySelector("[data-passkey-error]");
  error.textContent = message;
  error.hidden = false;
}

// The sentence for a failed ceremony: the server's refusal, "cancelled" when the user or the browser gave up.
function failure(form, e) {
  if (e instanceof Refusal) {
    return e.message;
  }
  return e && (e.name === "NotAllowedError" || e.name === "AbortError") ? form.dataset.cancelled : form.dataset.failed;
}

// The button: a modal ceremony, after ending the autofill request (a browser runs one WebAuthn request at a time).
function passkeySignIn(form) {
  const start = form.querySelector("[data-passkey-start]");
  let conditional = null;
  start.addEventListener("click", async () => {
    if (conditional) {
      conditional.abort();
      conditional = null;
    }
    start.disabled = true;
    try {
      const options = await fetchOptions(form);
      const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
      submitCredential(form, credential);
    } catch (e) {
      showError(form, failure(form, e));
      start.disabled = false;
    }
  });
  // Autofill (conditional mediation): the browser offers this site's passkeys in the email field, whose
  // autocomplete says "username webauthn". Only on the first-factor page, which has that field. A refused or
  // failed attempt changes nothing on the page: the button and the password form stay as they are.
  if (!form.elements.mfa_token && PublicKeyCredential.isConditionalMediationAvailable) {
    (async () => {
      if (!(await PublicKeyCredential.isConditionalMediationAvailable())) {
        return;
      }
      const controller = new AbortController();
      conditional = controller;
      const options = await fetchOptions(form);
      if (controller.signal.aborted) {
        return;
      }
      const credential = await navigator.credentials.get({
        mediation: "conditional",
        publicKey: requestOptions(options),
        signal: controller.signal,
      });
      if (credential && !controller.signal.aborted) {
        submitCredential(form, credential);
      }
    })().catch(() => {});
  }
}

async function passkeyRegistration(form) {
  const start = form.querySelector("[data-passkey-start]");
  start.addEventListener("click", async () => {
    start.disabled = true;
    try {
      const options = await fetchOptions(form);
      const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
      submitCredential(form, credential);
    } catch (e) {
      showError(form, failure(form, e));
      start.disabled = false;
    }
  });
}

if (webAuthn) {
  for (const form of document.querySelectorAll("form[data-passkey]")) {
    form.hidden = false;
    if (form.dataset.passkey === "register") {
      passkeyRegistration(form);
    } else {
      passkeySignIn(form);
    }
  }
  for (const note of document.querySelectorAll("[data-passkey-unsupported]")) {
    note.hidden = true;
  }
}
