package dev.plinto.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SCIM 2.0 service of each organization connection under {@code /scim/v2/{connection}} (RFC 7644): Users,
 * Groups and the discovery resources. Who may call it is decided before this controller, in the security filter
 * chain: only the connection's own SCIM token, on its own connection's paths, so {@code connection} here is the
 * caller's connection. Bodies are SCIM JSON read and written with the SCIM SDK's mapper ({@link ScimResponses});
 * every error is answered in the form of RFC 7644 §3.12.
 * <p>
 * Not in {@code /openapi.json}: SCIM is a protocol with its own discovery (ServiceProviderConfig, ResourceTypes,
 * Schemas), documented in docs/federation.md and docs/api.md, like the OpenID provider's endpoints.
 */
@Hidden
@RestController
final class ScimController {

	private static final String BASE = "/scim/v2/{connection}";

	/** Attributes every representation keeps, whatever {@code attributes} asks for (RFC 7643 §2.4, §3.1). */
	private static final Set<String> ALWAYS = Set.of("id", "schemas", "meta");

	private final ScimUsers users;

	private final ScimGroups groups;

	private final ScimDiscovery discovery;

	ScimController(ScimUsers users, ScimGroups groups, ScimDiscovery discovery) {
		this.users = users;
		this.groups = groups;
		this.discovery = discovery;
	}

	@ExceptionHandler(ScimError.class)
	ResponseEntity<byte[]> scimError(ScimError e) {
		return ScimResponses.error(e);
	}

	/** An error of the identity core (an invalid email, the member limit) in SCIM's form, with its status. */
	@ExceptionHandler(ApiException.class)
	ResponseEntity<byte[]> apiError(ApiException e) {
		int status = e.code().status().value();
		return ScimResponses.error(new ScimError(status, status == 400 ? ScimError.INVALID_VALUE : null,
				e.getMessage()));
	}

	@GetMapping(BASE + "/ServiceProviderConfig")
	ResponseEntity<byte[]> serviceProviderConfig(@PathVariable String connection) {
		return ScimResponses.ok(discovery.serviceProviderConfig(connection));
	}

	@GetMapping(BASE + "/ResourceTypes")
	ResponseEntity<byte[]> resourceTypes(@PathVariable String connection) {
		return ScimResponses.ok(ScimDiscovery.listOf(discovery.resourceTypes(connection)));
	}

	@GetMapping(BASE + "/ResourceTypes/{name}")
	ResponseEntity<byte[]> resourceType(@PathVariable String connection, @PathVariable String name) {
		return ScimResponses.ok(discovery.resourceTypes(connection)
			.stream()
			.filter(r -> r.path("name").asText().equals(name))
			.findFirst()
			.orElseThrow(() -> ScimError.notFound("The resource types are User and Group.")));
	}

	@GetMapping(BASE + "/Schemas")
	ResponseEntity<byte[]> schemas(@PathVariable String connection) {
		return ScimResponses.ok(ScimDiscovery.listOf(discovery.schemas(connection)));
	}

	@GetMapping(BASE + "/Schemas/{id}")
	ResponseEntity<byte[]> schema(@PathVariable String connection, @PathVariable String id) {
		return ScimResponses.ok(discovery.schemas(connection)
			.stream()
			.filter(s -> s.path("id").asText().equals(id))
			.findFirst()
			.orElseThrow(() -> ScimError.notFound("No schema with this id.")));
	}

	@GetMapping(BASE + "/Users")
	ResponseEntity<byte[]> listUsers(@PathVariable String connection,
			@RequestParam(required = false) String filter, @RequestParam(required = false) String startIndex,
			@RequestParam(required = false) String count, @RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		ScimRepository.Match match = match(filter, "userName", "user_name_key", true, "user_id");
		ScimPage page = users.list(connection, match, startIndex(startIndex), count(count));
		return ScimResponses.ok(ScimDiscovery.list(project(page, attributes, excludedAttributes)));
	}

	@PostMapping(BASE + "/Users")
	ResponseEntity<byte[]> createUser(@PathVariable String connection, @RequestBody(required = false) String body,
			ClientInfo client) {
		ObjectNode created = users.create(connection, ScimResponses.parse(body), client);
		return ScimResponses.created(created.path("meta").path("location").asText(), created);
	}

	@GetMapping(BASE + "/Users/{id}")
	ResponseEntity<byte[]> getUser(@PathVariable String connection, @PathVariable String id,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		return ScimResponses.ok(project(users.get(connection, id), attributes, excludedAttributes));
	}

	@PutMapping(BASE + "/Users/{id}")
	ResponseEntity<byte[]> replaceUser(@PathVariable String connection, @PathVariable String id,
			@RequestBody(required = false) String body, ClientInfo client) {
		return ScimResponses.ok(users.replace(connection, id, ScimResponses.parse(body), client));
	}

	@PatchMapping(BASE + "/Users/{id}")
	ResponseEntity<byte[]> patchUser(@PathVariable String connection, @PathVariable String id,
			@RequestBody(required = false) String body, ClientInfo client) {
		return ScimResponses.ok(users.patch(connection, id, ScimResponses.parse(body), client));
	}

	@DeleteMapping(BASE + "/Users/{id}")
	ResponseEntity<Void> deleteUser(@PathVariable String connection, @PathVariable String id, ClientInfo client) {
		users.delete(connection, id, client);
		return ResponseEntity.noContent().build();
	}

	@GetMapping(BASE + "/Groups")
	ResponseEntity<byte[]> listGroups(@PathVariable String connection,
			@RequestParam(required = false) String filter, @RequestParam(required = false) String startIndex,
			@RequestParam(required = false) String count, @RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		ScimRepository.Match match = match(filter, "displayName", "display_name_key", true, "id");
		ScimPage page = groups.list(connection, match, startIndex(startIndex), count(count),
				withMembers(attributes, excludedAttributes));
		return ScimResponses.ok(ScimDiscovery.list(project(page, attributes, excludedAttributes)));
	}

	@PostMapping(BASE + "/Groups")
	ResponseEntity<byte[]> createGroup(@PathVariable String connection, @RequestBody(required = false) String body,
			ClientInfo client) {
		ObjectNode created = groups.create(connection, ScimResponses.parse(body), client);
		return ScimResponses.created(created.path("meta").path("location").asText(), created);
	}

	@GetMapping(BASE + "/Groups/{id}")
	ResponseEntity<byte[]> getGroup(@PathVariable String connection, @PathVariable String id,
			@RequestParam(required = false) String attributes,
			@RequestParam(required = false) String excludedAttributes) {
		return ScimResponses.ok(project(groups.get(connection, id, withMembers(attributes, excludedAttributes)),
				attributes, excludedAttributes));
	}

	@PutMapping(BASE + "/Groups/{id}")
	ResponseEntity<byte[]> replaceGroup(@PathVariable String connection, @PathVariable String id,
			@RequestBody(required = false) String body, ClientInfo client) {
		return ScimResponses.ok(groups.replace(connection, id, ScimResponses.parse(body), client));
	}

	/**
	 * Answers the group as it is after the change (200), which Okta and Entra ID both accept; RFC 7644 §3.5.2
	 * allows 200 with the resource or 204.
	 */
	@PatchMapping(BASE + "/Groups/{id}")
	ResponseEntity<byte[]> patchGroup(@PathVariable String connection, @PathVariable String id,
			@RequestBody(required = false) String body, ClientInfo client) {
		return ScimResponses.ok(groups.patch(connection, id, ScimResponses.parse(body), client));
	}

	@DeleteMapping(BASE + "/Groups/{id}")
	ResponseEntity<Void> deleteGroup(@PathVariable String connection, @PathVariable String id, ClientInfo client) {
		groups.delete(connection, id, client);
		return ResponseEntity.noContent().build();
	}

	/**
	 * The filter as a column match: {@code <nameAttribute> eq "v"} (case-insensitive, as the attribute is not
	 * case-exact), {@code externalId eq "v"} (case-exact) or {@code id eq "v"}; any other filter is 400
	 * {@code invalidFilter} (RFC 7644 §3.4.2.2 lets a service provider support a subset).
	 */
	private static ScimRepository.Match match(String filter, String nameAttribute, String nameColumn,
			boolean lowerName, String idColumn) {
		if (filter == null || filter.isBlank()) {
			return null;
		}
		Filter parsed;
		try {
			parsed = Filter.fromString(filter);
		}
		catch (ScimException e) {
			throw ScimError.of(e);
		}
		if (parsed.getFilterType() != FilterType.EQUAL || parsed.getComparisonValue() == null
				|| !parsed.getComparisonValue().isTextual()) {
			throw unsupportedFilter(nameAttribute);
		}
		Path path = parsed.getAttributePath();
		if (path == null || path.size() != 1 || path.getElement(0).getValueFilter() != null) {
			throw unsupportedFilter(nameAttribute);
		}
		String attribute = path.getElement(0).getAttribute();
		String value = parsed.getComparisonValue().asText();
		if (attribute.equalsIgnoreCase(nameAttribute)) {
			return new ScimRepository.Match(nameColumn, lowerName ? value.toLowerCase(Locale.ROOT) : value);
		}
		if (attribute.equalsIgnoreCase("externalId")) {
			return new ScimRepository.Match("external_id", value);
		}
		if (attribute.equalsIgnoreCase("id")) {
			return new ScimRepository.Match(idColumn, value);
		}
		throw unsupportedFilter(nameAttribute);
	}

	private static ScimError unsupportedFilter(String nameAttribute) {
		return ScimError.badRequest(ScimError.INVALID_FILTER, "Supported filters: " + nameAttribute
				+ " eq \"…\", externalId eq \"…\" and id eq \"…\".");
	}

	/** {@code startIndex}: 1-based; less than 1 counts as 1 (RFC 7644 §3.4.2.4). */
	private static int startIndex(String value) {
		int index = integer(value, "startIndex", 1);
		return Math.max(index, 1);
	}

	/** {@code count}: negative counts as 0, more than the maximum as the maximum (RFC 7644 §3.4.2.4). */
	private static int count(String value) {
		int count = integer(value, "count", ScimDiscovery.MAX_RESULTS);
		return Math.min(Math.max(count, 0), ScimDiscovery.MAX_RESULTS);
	}

	private static int integer(String value, String name, int absent) {
		if (value == null || value.isBlank()) {
			return absent;
		}
		try {
			return Integer.parseInt(value.strip());
		}
		catch (NumberFormatException e) {
			throw ScimError.badRequest(ScimError.INVALID_VALUE, name + " must be an integer.");
		}
	}

	private static boolean withMembers(String attributes, String excludedAttributes) {
		Set<String> excluded = names(excludedAttributes);
		Set<String> only = names(attributes);
		return !excluded.contains("members") && (only.isEmpty() || only.contains("members"));
	}

	private static ScimPage project(ScimPage page, String attributes, String excludedAttributes) {
		return new ScimPage(page.totalResults(), page.startIndex(),
				page.resources().stream().map(r -> project(r, attributes, excludedAttributes)).toList());
	}

	/** {@code attributes} / {@code excludedAttributes} (RFC 7644 §3.9), on top-level attributes. */
	private static ObjectNode project(ObjectNode resource, String attributes, String excludedAttributes) {
		Set<String> only = names(attributes);
		Set<String> excluded = names(excludedAttributes);
		if (only.isEmpty() && excluded.isEmpty()) {
			return resource;
		}
		List<String> fields = new java.util.ArrayList<>();
		resource.fieldNames().forEachRemaining(fields::add);
		for (String field : fields) {
			String lower = field.toLowerCase(Locale.ROOT);
			if (ALWAYS.contains(lower)) {
				continue;
			}
			if ((!only.isEmpty() && !only.contains(lower)) || excluded.contains(lower)) {
				resource.remove(field);
			}
		}
		return resource;
	}

	/** Top-level attribute names of a comma-separated list, lower case, without schema URN or sub-attribute. */
	private static Set<String> names(String list) {
		if (list == null || list.isBlank()) {
			return Set.of();
		}
		return Arrays.stream(list.split(","))
			.map(String::strip)
			.map(n -> n.startsWith("urn:") ? n.substring(n.lastIndexOf(':') + 1) : n)
			.map(n -> n.contains(".") ? n.substring(0, n.indexOf('.')) : n)
			.map(n -> n.toLowerCase(Locale.ROOT))
			.collect(Collectors.toSet());
	}
}
