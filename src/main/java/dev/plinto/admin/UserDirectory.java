package dev.plinto.admin;

import java.time.Instant;
import java.util.List;

/**
 * The operator's read model of users: search with filters across what other features store about them (their
 * last sign-in in the audit log, their second factors, their linked identities). Read only; every change goes
 * through the feature that owns the data.
 */
interface UserDirectory {

	/** One user as the Backend API lists it. */
	record Row(String id, String email, boolean emailVerified, String name, Instant createdAt, Instant updatedAt,
			Instant bannedAt, Instant lastSignInAt, boolean hasMfa, String publicMetadata, String privateMetadata,
			String unsafeMetadata) {
	}

	/** Users matching the query, newest first, starting after ({@code beforeTime}, {@code beforeId}). */
	List<Row> search(UserQuery query, Instant beforeTime, String beforeId, int limit);

	/** A user's accounts at identity providers. */
	record Identity(String id, String provider, String subject, String email, boolean emailVerified,
			Instant createdAt, Instant lastUsedAt) {
	}

	List<Identity> identities(String userId);
}
