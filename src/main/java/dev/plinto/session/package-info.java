/**
 * Sign-up, sign-in and sessions: the stored sign-in flows, sessions with rotating refresh tokens and reuse
 * detection, revocation, and the session API (refresh, sign-out, list, revoke).
 */
package dev.plinto.session;
