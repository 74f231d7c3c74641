/**
 * Migration: importing users with their password hashes, second factors and organizations from other services
 * (Clerk, Auth0, Firebase, Keycloak, Supabase, generic JSON Lines), exporting them in the generic format, and a
 * user's own data export ({@code GET /v1/me/export}). See docs/migration.md.
 */
package dev.plinto.migration;
