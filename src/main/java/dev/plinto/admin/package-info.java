/**
 * The Backend API ({@code /v1/admin/...}, authenticated by secret API keys with scopes) and the admin dashboard
 * ({@code /admin}): one set of services over the features below, with two edges.
 */
package dev.plinto.admin;
