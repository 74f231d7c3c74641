// Shared by the conformance scripts: their inputs, a cookie-keeping "browser" that signs in on Plinto's hosted
// sign-in page as a person would (following redirects, posting the page's own form with its CSRF token), and the
// checks. Only the protocol work is left to the client libraries under test.

/** A required input of the script (an environment variable). */
export function input(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`environment variable ${name} is required`);
  }
  return value;
}

/** An optional input, or its default. */
export function optional(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** Fails the script with a message when the condition does not hold. */
export function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
  console.log(`ok - ${message}`);
}

/** Expects the promise (or function) to fail; returns the error for further checks. */
export async function refused(action, message) {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    console.log(`ok - ${message} (${error.code ?? error.name}: ${error.error ?? error.message})`);
    return error;
  }
  throw new Error(`check failed: ${message}: it was accepted`);
}

/** Runs the script's main function; exit status 0 when it passes, 1 with the error otherwise. */
export function run(main) {
  main().then(
    () => {
      console.log('PASS');
    },
    (error) => {
      console.error(error?.stack ?? String(error));
      if (error?.cause) {
        console.error('cause:', error.cause);
      }
      process.exitCode = 1;
    },
  );
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&#61;': '=' };

function unescape(text) {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|#61);/g, (entity) => ENTITIES[entity]);
}

/** The hidden fields and the action of the first POST form of a page (the primary button's form). */
export function firstForm(html) {
  const form = /<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) {
    throw new Error(`no form on the page:\n${html.slice(0, 2000)}`);
  }
  const fields = new URLSearchParams();
  for (const hidden of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields.append(hidden[1], unescape(hidden[2]));
  }
  return { action: unescape(form[1]), fields };
}

/**
 * A browser without a browser: one cookie jar for Plinto's origin, redirects followed by hand so the script sees
 * where Plinto sends it, and stops at the first redirect that leaves Plinto (the client's redirect URI).
 */
export class Browser {
  constructor(issuer) {
    this.origin = new URL(issuer).origin;
    this.cookies = new Map();
  }

  async request(url, init = {}) {
    const target = new URL(url, this.origin);
    const headers = new Headers(init.headers ?? {});
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    const body = await response.text();
    return { status: response.status, location: response.headers.get('location'), body, url: target.href };
  }

  /** Posts a form to Plinto the way a browser posts it from Plinto's own page (same Origin). */
  post(url, fields) {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Follows redirects within Plinto; returns the last answer, or the redirect that leaves Plinto. */
  async follow(answer) {
    let current = answer;
    for (let i = 0; i < 10 && current.status >= 300 && current.status < 400; i++) {
      const next = new URL(current.location, current.url);
      if (next.origin !== this.origin) {
        return current;
      }
      current = await this.request(next);
    }
    return current;
  }

  /**
   * Opens the authorization URL, signs in on the hosted sign-in page when Plinto asks for it, allows the consent
   * page when it appears, and returns the URL Plinto finally redirects to (the client's redirect URI with the code,
   * or with an error).
   */
  async authorize(authorizationUrl, email, password) {
    let answer = await this.follow(await this.request(authorizationUrl));
    if (answer.status === 200 && new URL(answer.url).pathname === '/sign-in') {
      const form = firstForm(answer.body);
      form.fields.set('email', email);
      form.fields.set('password', password);
      answer = await this.follow(await this.post(form.action || answer.url, form.fields));
    }
    if (answer.status === 200 && /name="scope"/.test(answer.body)) {
      const form = firstForm(answer.body);
      answer = await this.follow(await this.post(form.action, form.fields));
    }
    if (answer.status < 300 || answer.status >= 400) {
      throw new Error(`expected a redirect to the client, got ${answer.status} at ${answer.url}:\n`
        + answer.body.slice(0, 2000));
    }
    return new URL(answer.location, answer.url);
  }
}
