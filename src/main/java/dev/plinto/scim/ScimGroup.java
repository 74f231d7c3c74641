package dev.plinto.scim;

import java.time.Instant;

/** A group of one connection ({@code scim_groups}); its members give it the role it maps to. */
record ScimGroup(String id, String connectionId, String displayName, String externalId, long version,
		Instant createdAt, Instant updatedAt) {
}
