/**
 * The audit log: security events recorded with who and from where, the retention job, and the caller's own
 * event list ({@code GET /v1/me/security-events}).
 */
package dev.plinto.audit;
