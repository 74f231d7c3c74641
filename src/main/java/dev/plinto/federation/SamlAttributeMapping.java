package dev.plinto.federation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which SAML attributes hold a user's email, name and groups, and which group gives which organization role: the
 * connection's {@code attribute_mapping} JSON ({@code {"email": "...", "name": "...", "groups": "...",
 * "roles": {"group": "role key"}}}). An attribute left out of the mapping is looked for under the names the
 * common identity providers use (the LDAP/eduPerson OIDs of SAML 2.0 Profiles §8.2.3 and the Microsoft claim
 * URIs of Entra ID and AD FS); the email falls back to a NameID of the {@code emailAddress} format.
 */
record SamlAttributeMapping(String email, String name, String groups, Map<String, String> groupRoles) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

	private static final List<String> EMAIL_NAMES = List.of("email", "mail", "emailaddress",
			"urn:oid:0.9.2342.19200300.100.1.3", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress");

	private static final List<String> NAME_NAMES = List.of("name", "displayname", "cn",
			"urn:oid:2.16.840.1.113730.3.1.241", "urn:oid:2.5.4.3",
			"http://schemas.microsoft.com/identity/claims/displayname",
			"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name");

	private static final List<String> GROUP_NAMES = List.of("groups", "memberof", "role", "roles",
			"urn:oid:1.3.6.1.4.1.5923.1.5.1.1", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
			"http://schemas.microsoft.com/ws/2008/06/identity/claims/role");

	/** What the assertion says of the user, mapped. */
	record Profile(String email, String name, List<String> groups, Optional<String> role) {
	}

	/** The mapping of a connection; an empty or unreadable mapping uses the common names only. */
	static SamlAttributeMapping parse(String json) {
		if (json == null || json.isBlank()) {
			return new SamlAttributeMapping(null, null, null, Map.of());
		}
		JsonNode node;
		try {
			node = JSON.readTree(json);
		}
		catch (RuntimeException e) {
			return new SamlAttributeMapping(null, null, null, Map.of());
		}
		Map<String, String> roles = new LinkedHashMap<>();
		JsonNode groupRoles = node.path("roles");
		if (groupRoles.isObject()) {
			for (var entry : groupRoles.properties()) {
				if (entry.getValue().isString()) {
					roles.put(entry.getKey(), entry.getValue().asString());
				}
			}
		}
		return new SamlAttributeMapping(text(node, "email"), text(node, "name"), text(node, "groups"),
				Map.copyOf(roles));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isString() && !value.asString().isBlank() ? value.asString() : null;
	}

	/**
	 * The user's profile from a validated assertion. The role is the one {@code roles} gives the first of the
	 * user's groups (in the order the assertion lists them) that it names, as for OpenID Connect connections; empty
	 * when it names none, and the connection's default role applies.
	 */
	Profile apply(String nameId, String nameIdFormat, Map<String, List<String>> attributes) throws SamlRefusal {
		String mail = first(attributes, email, EMAIL_NAMES)
			.orElse(EMAIL_FORMAT.equals(nameIdFormat) && nameId != null && nameId.contains("@") ? nameId : null);
		if (mail == null || !mail.contains("@")) {
			throw new SamlRefusal(SamlRefusal.Reason.ATTRIBUTES, "the assertion carries no email address");
		}
		String display = first(attributes, name, NAME_NAMES).orElse(null);
		List<String> memberOf = all(attributes, groups, GROUP_NAMES);
		Optional<String> role = memberOf.stream().map(groupRoles::get).filter(r -> r != null).findFirst();
		return new Profile(mail.trim(), display, memberOf, role);
	}

	private static Optional<String> first(Map<String, List<String>> attributes, String mapped, List<String> names) {
		return all(attributes, mapped, names).stream().filter(v -> !v.isBlank()).findFirst();
	}

	/** The values of the mapped attribute, or else of the first common name present (case-insensitive). */
	private static List<String> all(Map<String, List<String>> attributes, String mapped, List<String> names) {
		if (mapped != null) {
			List<String> values = attributes.get(mapped);
			return values == null ? List.of() : List.copyOf(values);
		}
		Map<String, List<String>> lower = new LinkedHashMap<>();
		attributes.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
		for (String candidate : names) {
			List<String> values = lower.get(candidate.toLowerCase(Locale.ROOT));
			if (values != null && !values.isEmpty()) {
				return new ArrayList<>(values);
			}
		}
		return List.of();
	}
}
