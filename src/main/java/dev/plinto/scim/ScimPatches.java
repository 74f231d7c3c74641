package dev.plinto.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.PatchRequest;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * PATCH requests (RFC 7644 §3.5.2) as the SCIM SDK reads them, after bringing the shapes that Microsoft Entra ID
 * documents ("Develop and plan provisioning for a SCIM endpoint", its request examples) into the RFC's:
 * <ul>
 * <li>capitalised operations ({@code "Replace"}, {@code "Add"}, {@code "Remove"}) become lower case;</li>
 * <li>{@code "remove"} of {@code members} with a {@code value} list (Entra ID's way of removing group members)
 * becomes one {@code remove} per member with the path {@code members[value eq "<id>"]}, as Okta sends it;</li>
 * <li>an {@code add}/{@code replace} without a path whose value names attribute paths
 * ({@code "name.familyName"}, {@code "emails[type eq \"work\"].value"}, an extension attribute by its URN) becomes
 * one operation per such path.</li>
 * </ul>
 * Anything else is parsed as sent; what the SDK refuses is answered 400 with its {@code scimType}.
 */
final class ScimPatches {

	static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	/** At most this many operations in one request. */
	static final int MAX_OPERATIONS = 1000;

	private static final Set<String> SCHEMA_URNS = Set.of(ScimUsers.USER_SCHEMA.toLowerCase(Locale.ROOT),
			ScimUsers.ENTERPRISE_SCHEMA.toLowerCase(Locale.ROOT), ScimGroups.GROUP_SCHEMA.toLowerCase(Locale.ROOT));

	private ScimPatches() {
	}

	static PatchRequest request(ObjectNode body) {
		JsonNode operations = body.get("Operations");
		if (operations == null) {
			operations = body.get("operations");
		}
		if (operations == null || !operations.isArray() || operations.isEmpty()) {
			throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "A PATCH needs a non-empty Operations list.");
		}
		if (operations.size() > MAX_OPERATIONS) {
			throw ScimError.badRequest(ScimError.TOO_MANY, "At most " + MAX_OPERATIONS + " operations per PATCH.");
		}
		ObjectNode normalised = ScimResponses.object();
		normalised.putArray("schemas").add(PATCH_SCHEMA);
		ArrayNode out = normalised.putArray("Operations");
		for (JsonNode op : operations) {
			if (!(op instanceof ObjectNode operation) || !operation.path("op").isTextual()) {
				throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "Each operation needs an op.");
			}
			normalise(operation.deepCopy(), out);
		}
		try {
			return ScimResponses.JSON.treeToValue(normalised, PatchRequest.class);
		}
		catch (JsonProcessingException e) {
			Throwable cause = e.getCause();
			if (cause instanceof ScimException scim) {
				throw ScimError.of(scim);
			}
			throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "The PATCH operations are not valid: each needs op "
					+ "add, replace or remove, a valid path where required, and a value for add and replace.");
		}
	}

	private static void normalise(ObjectNode operation, ArrayNode out) {
		String op = operation.get("op").asText().toLowerCase(Locale.ROOT);
		operation.put("op", op);
		JsonNode path = operation.get("path");
		JsonNode value = operation.get("value");
		if (op.equals("remove") && path != null && path.isTextual() && path.asText().equalsIgnoreCase("members")
				&& value != null && value.isArray()) {
			for (JsonNode member : value) {
				String id = member.path("value").asText(null);
				if (id == null) {
					throw ScimError.badRequest(ScimError.INVALID_VALUE, "Each member to remove needs a value.");
				}
				ObjectNode remove = out.addObject();
				remove.put("op", "remove");
				remove.put("path", "members[value eq " + quoted(id) + "]");
			}
			return;
		}
		if (op.equals("remove")) {
			operation.remove("value");
		}
		if ((op.equals("add") || op.equals("replace")) && (path == null || path.isNull()) && value != null
				&& value.isObject()) {
			ObjectNode rest = ScimResponses.object();
			for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> field = it.next();
				if (isAttributePath(field.getKey())) {
					ObjectNode single = out.addObject();
					single.put("op", op);
					single.put("path", field.getKey());
					single.set("value", field.getValue());
				}
				else {
					rest.set(field.getKey(), field.getValue());
				}
			}
			if (!rest.isEmpty()) {
				operation.remove("path");
				operation.set("value", rest);
				out.add(operation);
			}
			return;
		}
		out.add(operation);
	}

	private static boolean isAttributePath(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		if (SCHEMA_URNS.contains(lower)) {
			return false;
		}
		return lower.startsWith("urn:") || key.contains(".") || key.contains("[");
	}

	private static String quoted(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}
}
