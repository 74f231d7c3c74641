package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.org.OrganizationService;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Organizations as the operator sees them, for the Backend API and the admin dashboard: every organization with
 * its private metadata and member count, its members, and changes to its name and metadata. Changes are made by
 * {@link OrganizationService} inside {@link AuditLog#actingAs}, so they are audited with the API key as actor.
 */
@Service
public final class AdminOrganizations {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final OrganizationDirectory directory;

	private final OrganizationService organizations;

	AdminOrganizations(OrganizationDirectory directory, OrganizationService organizations) {
		this.directory = directory;
		this.organizations = organizations;
	}

	public record AdminOrganization(String id, String name, String slug, Map<String, Object> publicMetadata,
			Map<String, Object> privateMetadata, @Schema(nullable = true) String createdBy, Instant createdAt,
			Instant updatedAt, long membersCount) {
	}

	public record MemberView(String userId, String email, @Schema(nullable = true) String name, String role,
			Instant joinedAt) {
	}

	public Page<AdminOrganization> search(String query, String cursor, int limit) {
		Instant beforeTime = null;
		String beforeId = null;
		String after = PageCursor.decode(cursor);
		if (after != null) {
			try {
				String[] parts = after.split("\\|", 2);
				beforeTime = Instant.parse(parts[0]);
				beforeId = parts[1];
				if (!beforeId.matches("[a-z]+_[0-9a-z]+")) {
					throw new IllegalArgumentException("not an organization id");
				}
			}
			catch (RuntimeException e) {
				throw PageCursor.forged();
			}
		}
		return Page.of(directory.search(query, null, beforeTime, beforeId, Page.rowsFor(limit)), limit,
				r -> r.createdAt() + "|" + r.id(), AdminOrganizations::view);
	}

	public AdminOrganization get(String organizationId) {
		return directory.search(null, organizationId, null, null, 1)
			.stream()
			.findFirst()
			.map(AdminOrganizations::view)
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No organization with this id exists."));
	}

	public Page<MemberView> members(String organizationId, String cursor, int limit) {
		get(organizationId);
		String after = PageCursor.decode(cursor);
		if (after != null && !after.matches("[a-z]+_[0-9a-z]+")) {
			throw PageCursor.forged();
		}
		return Page.of(directory.members(organizationId, after, Page.rowsFor(limit)), limit,
				OrganizationDirectory.MemberRow::userId,
				m -> new MemberView(m.userId(), m.email(), m.name(), m.role(), m.joinedAt()));
	}

	public AdminOrganization update(AdminCaller caller, String organizationId, String name,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata) {
		AuditLog.actingAs(caller.keyId(), () -> organizations.updateByOperator(organizationId, name, publicMetadata,
				privateMetadata, caller.client()));
		return get(organizationId);
	}

	private static AdminOrganization view(OrganizationDirectory.Row r) {
		return new AdminOrganization(r.id(), r.name(), r.slug(), read(r.publicMetadata()), read(r.privateMetadata()),
				r.createdBy(), r.createdAt(), r.updatedAt(), r.members());
	}

	private static Map<String, Object> read(String stored) {
		return JSON.readValue(stored == null ? "{}" : stored, OBJECT);
	}
}
