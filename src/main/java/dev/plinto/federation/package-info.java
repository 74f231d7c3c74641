/**
 * Social and enterprise sign-in: accounts at OAuth 2, OpenID Connect and SAML 2.0 identity providers linked to
 * Plinto users, and the routes of the hosted pages and the JSON API that start and complete those sign-ins.
 */
package dev.plinto.federation;
