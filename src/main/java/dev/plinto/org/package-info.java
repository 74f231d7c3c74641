/**
 * Organizations: members, roles and permissions, invitations, and the active organization carried in access
 * tokens (plugged into {@code session} through {@link dev.plinto.session.ActiveOrganizationClaims}).
 */
package dev.plinto.org;
