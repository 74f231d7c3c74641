/**
 * The OpenID provider and OAuth 2 authorization server (docs/oidc.md): Spring Authorization Server wired to Plinto's
 * signing keys, users, browser sessions and audit log; its registered clients, authorizations and consents.
 */
package dev.plinto.oidc;
