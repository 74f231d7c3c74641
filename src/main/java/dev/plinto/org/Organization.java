package dev.plinto.org;

import java.time.Instant;

/**
 * An organization. Metadata are JSON objects stored as text: {@code publicMetadata} is readable by members,
 * {@code privateMetadata} is never returned by member endpoints.
 */
public record Organization(String id, String name, String slug, String publicMetadata, String privateMetadata,
		String createdBy, Instant createdAt, Instant updatedAt) {
}
