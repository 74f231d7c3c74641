package dev.plinto.scim;

import java.time.Instant;

/**
 * A Plinto user as one connection's SCIM client sees it ({@code scim_users}): {@code userId} is the SCIM
 * {@code id}; {@code attributes} the SCIM attributes the client sent, as JSON.
 */
record ScimUser(String connectionId, String userId, String userName, String externalId, boolean active,
		boolean createdAccount, String attributes, long version, Instant createdAt, Instant updatedAt) {
}
