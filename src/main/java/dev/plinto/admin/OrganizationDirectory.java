package dev.plinto.admin;

import java.time.Instant;
import java.util.List;

/**
 * The operator's read model of organizations: search across all of them and their members. Read only; changes go
 * through {@code org.OrganizationService}.
 */
interface OrganizationDirectory {

	record Row(String id, String name, String slug, String publicMetadata, String privateMetadata, String createdBy,
			Instant createdAt, Instant updatedAt, long members) {
	}

	record MemberRow(String userId, String email, String name, String role, Instant joinedAt) {
	}

	/**
	 * Organizations whose name or slug contains {@code query} (any when null), or the one with {@code id}, newest
	 * first, starting after ({@code beforeTime}, {@code beforeId}).
	 */
	List<Row> search(String query, String id, Instant beforeTime, String beforeId, int limit);

	/**
	 * The organization's members by user id, starting after {@code afterUserId}; with {@code emailQuery}, those
	 * whose email contains it (lower case, as emails are stored).
	 */
	List<MemberRow> members(String organizationId, String emailQuery, String afterUserId, int limit);
}
