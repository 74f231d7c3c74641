package dev.plinto.org;

import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which claims (OpenID Connect) or attributes (SAML) of a connection hold a member's email, name and groups, and
 * which group gives which organization role ({@code roles}: group → role key). Stored as a JSON object in
 * {@code organization_connections.attribute_mapping}; an absent name means the protocol's usual one (the sign-in
 * engines decide it: {@code email}, {@code name}, {@code groups} for OpenID Connect). The sign-in engines read it
 * with {@link #read} and give a joining member {@link #roleFor} their groups.
 */
public record AttributeMapping(String email, String name, String groups, Map<String, String> roles) {

	/** Length of the column (V21). */
	static final int MAX_STORED = 4000;

	static final int NAME_MAX = 200;

	static final int ROLES_MAX = 50;

	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

	static final AttributeMapping NONE = new AttributeMapping(null, null, null, Map.of());

	public AttributeMapping {
		roles = roles == null ? Map.of() : Map.copyOf(roles);
	}

	/** The stored JSON object, with only the names that are set. */
	String store() {
		Map<String, Object> out = new LinkedHashMap<>();
		if (email != null) {
			out.put("email", email);
		}
		if (name != null) {
			out.put("name", name);
		}
		if (groups != null) {
			out.put("groups", groups);
		}
		if (!roles.isEmpty()) {
			out.put("roles", new java.util.TreeMap<>(roles));
		}
		String text = JSON.writeValueAsString(out);
		if (text.length() > MAX_STORED) {
			throw ApiException.validation("attribute_mapping", ErrorCode.VALIDATION_FAILED,
					"attribute_mapping must be at most " + MAX_STORED + " characters of JSON.");
		}
		return text;
	}

	/** The mapping of a connection as stored ({@link OrganizationConnection#attributeMapping()}). */
	public static AttributeMapping read(String stored) {
		if (stored == null || stored.isBlank()) {
			return NONE;
		}
		return JSON.readValue(stored, AttributeMapping.class);
	}

	/**
	 * The role of a member with these groups: the role {@code roles} maps the first of them to, in the order of the
	 * group names (so the answer does not depend on the order the identity provider lists them in), else
	 * {@code defaultRole}.
	 */
	public String roleFor(java.util.Collection<String> memberGroups, String defaultRole) {
		return memberGroups.stream()
			.filter(roles::containsKey)
			.sorted()
			.findFirst()
			.map(roles::get)
			.orElse(defaultRole);
	}

	/** 400 {@code validation_failed} for an empty or multi-line name, or too many role rules. */
	void check() {
		checkName("attribute_mapping.email", email);
		checkName("attribute_mapping.name", name);
		checkName("attribute_mapping.groups", groups);
		if (roles.size() > ROLES_MAX) {
			throw ApiException.validation("attribute_mapping.roles", ErrorCode.VALIDATION_FAILED,
					"attribute_mapping.roles may map at most " + ROLES_MAX + " groups.");
		}
		roles.keySet().forEach(group -> checkName("attribute_mapping.roles", group));
	}

	private static void checkName(String field, String value) {
		if (value != null && (value.isBlank() || value.length() > NAME_MAX
				|| !value.chars().allMatch(c -> c >= 0x20 && c != 0x7f))) {
			throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED,
					field + " must be a claim or attribute name of 1 to " + NAME_MAX + " printable characters.");
		}
	}
}
