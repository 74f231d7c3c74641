package dev.plinto.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.PatchRequest;
import dev.plinto.account.AccountService;
import dev.plinto.account.EmailAddress;
import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.org.ProvisionedMemberships;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * SCIM Users of one connection (RFC 7643 §4.1, RFC 7644 §3): create, read, list with {@code userName eq} /
 * {@code externalId eq} filters, replace, patch, deactivate and delete, each change in one transaction with its
 * audit event (recorded under the provisioned user and the organization, naming the connection) and the account
 * and membership webhook events it causes.
 * <p>
 * Which account a new SCIM user becomes (docs/federation.md, "Which account a SCIM user is"): an organization's
 * identity provider may create accounts, and may take over the management of an existing account only when that
 * account is already a member of the organization or its email is in a domain the organization has verified;
 * otherwise the create is refused with 409 {@code uniqueness}. So no organization can provision its way into
 * somebody else's account (OWASP Authorization Cheat Sheet, "Deny by default"; OWASP API Security Top 10 2023,
 * API1). Created accounts have no password; their email counts as verified only in such a verified domain.
 * The account's email is set at creation and never changed over SCIM (an email change is how accounts are taken
 * over); the name follows the identity provider only for accounts the connection created. Passwords sent by the
 * client are ignored, never stored.
 */
@Service
final class ScimUsers {

	static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

	static final String ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

	/** The largest stored attribute document (the column holds 16,000 characters). */
	private static final int MAX_ATTRIBUTES = 16_000;

	private static final int MAX_TEXT = 255;

	private final ScimRepository scim;

	private final ScimRoles roles;

	private final ConnectionRepository connections;

	private final UserRepository users;

	private final AccountService accounts;

	private final ProvisionedMemberships memberships;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	ScimUsers(ScimRepository scim, ScimRoles roles, ConnectionRepository connections, UserRepository users,
			AccountService accounts, ProvisionedMemberships memberships, AuditLog audit, TransactionOperations tx,
			Clock clock, PlintoSettings settings) {
		this.scim = scim;
		this.roles = roles;
		this.connections = connections;
		this.users = users;
		this.accounts = accounts;
		this.memberships = memberships;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
	}

	/** What a client sent for a user, checked: the columns and the attributes to store. */
	private record Parsed(String userName, String externalId, boolean active, String email, String name,
			ObjectNode attributes) {
	}

	ObjectNode create(String connectionId, ObjectNode body, ClientInfo client) {
		Parsed parsed = parse(body, true);
		return tx.execute(status -> {
			OrganizationConnection connection = connection(connectionId);
			if (scim.findUserByUserName(connectionId, parsed.userName()).isPresent()) {
				throw ScimError.conflict("A user with this userName already exists in this connection.");
			}
			boolean domainVerified = domainVerifiedBy(connection, parsed.email());
			Optional<User> existing = users.findByAddress(parsed.email());
			User user;
			boolean created;
			if (existing.isPresent()) {
				user = existing.get();
				if (scim.findUser(connectionId, user.id()).isPresent()) {
					throw ScimError.conflict("A user with this email already exists in this connection, under "
							+ "another userName.");
				}
				boolean member = memberships.roleOf(connection.organizationId(), user.id()).isPresent();
				if (!member && !domainVerified) {
					throw ScimError.conflict("An account with this email exists and is not a member of this "
							+ "organization, and its domain is not one the organization has verified; invite the "
							+ "person to the organization first.");
				}
				created = false;
			}
			else {
				try {
					user = accounts.createProvisioned(parsed.email(), parsed.name(), domainVerified, client,
							"scim " + connectionId);
				}
				catch (ApiException e) {
					throw ScimError.badRequest(ScimError.INVALID_VALUE, e.getMessage());
				}
				created = true;
			}
			Instant now = clock.instant();
			ScimUser scimUser = new ScimUser(connectionId, user.id(), parsed.userName(), parsed.externalId(),
					parsed.active(), created, json(parsed.attributes()), 1, now, now);
			scim.insertUser(scimUser);
			roles.sync(connection, scimUser, client);
			audit.recordForOrganization(AuditEvent.Type.SCIM_USER_PROVISIONED, user.id(), null, client,
					connection.organizationId(), ScimRoles.via(connection) + ": userName " + parsed.userName()
							+ (created ? ", account created" : ", existing account linked")
							+ (parsed.active() ? "" : ", inactive"));
			return resource(scimUser);
		});
	}

	ObjectNode get(String connectionId, String userId) {
		return resource(find(connectionId, userId));
	}

	/** A page of users, with the filter's column and value (null: all). */
	ScimPage list(String connectionId, ScimRepository.Match match, int startIndex, int count) {
		long total = scim.countUsers(connectionId, match);
		List<ObjectNode> page = count == 0 ? List.of()
				: scim.findUsers(connectionId, match, startIndex - 1, count).stream().map(this::resource).toList();
		return new ScimPage(total, startIndex, page);
	}

	ObjectNode replace(String connectionId, String userId, ObjectNode body, ClientInfo client) {
		Parsed parsed = parse(body, true);
		return tx.execute(status -> update(connectionId, find(connectionId, userId), parsed, client));
	}

	/**
	 * Applies a PATCH (RFC 7644 §3.5.2) with the SDK to the user's current representation, in the shapes Okta and
	 * Microsoft Entra ID send (see {@link ScimPatches}), then stores the result as a replace would.
	 */
	ObjectNode patch(String connectionId, String userId, ObjectNode body, ClientInfo client) {
		return tx.execute(status -> {
			ScimUser current = find(connectionId, userId);
			ObjectNode document = storedDocument(current);
			PatchRequest patch = ScimPatches.request(body);
			GenericScimResource resource = new GenericScimResource(document);
			try {
				patch.apply(resource);
			}
			catch (ScimException e) {
				throw ScimError.of(e);
			}
			ObjectNode patched = resource.getObjectNode();
			patched.remove("groups");
			return update(connectionId, current, parse(patched, false), client);
		});
	}

	void delete(String connectionId, String userId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			OrganizationConnection connection = connection(connectionId);
			ScimUser user = find(connectionId, userId);
			roles.withdraw(connection, user.userId(), "scim_deprovisioned", client);
			scim.deleteUser(connectionId, userId);
			audit.recordForOrganization(AuditEvent.Type.SCIM_USER_DEPROVISIONED, user.userId(), null, client,
					connection.organizationId(), ScimRoles.via(connection) + ": userName " + user.userName());
		});
	}

	private ObjectNode update(String connectionId, ScimUser current, Parsed parsed, ClientInfo client) {
		OrganizationConnection connection = connection(connectionId);
		if (!JdbcScimRepository.key(parsed.userName()).equals(JdbcScimRepository.key(current.userName()))
				&& scim.findUserByUserName(connectionId, parsed.userName()).isPresent()) {
			throw ScimError.conflict("A user with this userName already exists in this connection.");
		}
		Instant now = clock.instant();
		ScimUser updated = new ScimUser(connectionId, current.userId(), parsed.userName(), parsed.externalId(),
				parsed.active(), current.createdAccount(), json(parsed.attributes()), current.version() + 1,
				current.createdAt(), now);
		scim.updateUser(updated);
		if (current.createdAccount()) {
			users.findById(current.userId())
				.filter(u -> !java.util.Objects.equals(u.name(), parsed.name()))
				.ifPresent(u -> accounts.updateName(u.id(), parsed.name(), client, null));
		}
		roles.sync(connection, updated, client);
		AuditEvent.Type type = current.active() == updated.active() ? AuditEvent.Type.SCIM_USER_UPDATED
				: updated.active() ? AuditEvent.Type.SCIM_USER_REACTIVATED : AuditEvent.Type.SCIM_USER_DEACTIVATED;
		audit.recordForOrganization(type, updated.userId(), null, client, connection.organizationId(),
				ScimRoles.via(connection) + ": userName " + updated.userName());
		return resource(updated);
	}

	private ScimUser find(String connectionId, String userId) {
		return scim.findUser(connectionId, userId)
			.orElseThrow(() -> ScimError.notFound("This connection has no user with this id."));
	}

	private OrganizationConnection connection(String connectionId) {
		return connections.findById(connectionId)
			.orElseThrow(() -> ScimError.notFound("This connection no longer exists."));
	}

	/** Whether the email's domain is verified by the connection's organization (so it controls the address). */
	private boolean domainVerifiedBy(OrganizationConnection connection, String email) {
		String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
		return connections.findVerifiedDomain(domain)
			.filter(d -> d.organizationId().equals(connection.organizationId()))
			.isPresent();
	}

	/**
	 * Checks a User as sent (RFC 7643 §4.1): the core schema, a userName, an email (the primary one of
	 * {@code emails}, else the first, else userName when it is an address), an {@code active} that is a boolean
	 * (or Entra ID's "True"/"False"), and keeps the attributes to store.
	 */
	private static Parsed parse(ObjectNode body, boolean checkSchemas) {
		if (checkSchemas && !hasSchema(body, USER_SCHEMA)) {
			throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "schemas must list " + USER_SCHEMA + ".");
		}
		String userName = text(body, "userName");
		if (userName == null || userName.isBlank()) {
			throw ScimError.badRequest(ScimError.INVALID_VALUE, "userName is required.");
		}
		String externalId = text(body, "externalId");
		boolean active = active(body.get("active"));
		String email = email(body, userName);
		String name = name(body);
		ObjectNode attributes = body.deepCopy();
		for (String dropped : List.of("id", "meta", "groups", "password")) {
			attributes.remove(dropped);
		}
		attributes.put("userName", userName.strip());
		attributes.put("active", active);
		if (externalId == null) {
			attributes.remove("externalId");
		}
		if (!attributes.has("schemas")) {
			attributes.putArray("schemas").add(USER_SCHEMA);
		}
		if (json(attributes).length() > MAX_ATTRIBUTES) {
			throw ScimError.badRequest(ScimError.INVALID_VALUE, "The user's attributes exceed " + MAX_ATTRIBUTES
					+ " characters.");
		}
		return new Parsed(userName.strip(), externalId, active, email, name, attributes);
	}

	static boolean hasSchema(ObjectNode body, String schema) {
		JsonNode schemas = body.get("schemas");
		if (schemas == null || !schemas.isArray()) {
			return false;
		}
		for (JsonNode s : schemas) {
			if (s.isTextual() && s.asText().equalsIgnoreCase(schema)) {
				return true;
			}
		}
		return false;
	}

	/** A text attribute of at most 255 characters, or null; 400 {@code invalidValue} for another type. */
	static String text(ObjectNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isTextual() || value.asText().length() > MAX_TEXT) {
			throw ScimError.badRequest(ScimError.INVALID_VALUE, field + " must be a string of at most " + MAX_TEXT
					+ " characters.");
		}
		return value.asText();
	}

	/** {@code active}: a boolean, absent (true), or the strings "True"/"False" that Entra ID sends in PATCH. */
	private static boolean active(JsonNode value) {
		if (value == null || value.isNull()) {
			return true;
		}
		if (value.isBoolean()) {
			return value.asBoolean();
		}
		if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
			return Boolean.parseBoolean(value.asText().toLowerCase(Locale.ROOT));
		}
		throw ScimError.badRequest(ScimError.INVALID_VALUE, "active must be true or false.");
	}

	private static String email(ObjectNode body, String userName) {
		String chosen = null;
		JsonNode emails = body.get("emails");
		if (emails != null && emails.isArray()) {
			for (JsonNode e : emails) {
				if (e.path("value").isTextual() && (chosen == null || e.path("primary").asBoolean(false))) {
					chosen = e.path("value").asText();
				}
			}
		}
		if (chosen == null) {
			chosen = userName;
		}
		return EmailAddress.canonical(chosen)
			.orElseThrow(() -> ScimError.badRequest(ScimError.INVALID_VALUE, "A user needs an email address: in "
					+ "emails, or as userName."));
	}

	private static String name(ObjectNode body) {
		String display = body.path("displayName").isTextual() ? body.path("displayName").asText() : null;
		if (display != null && !display.isBlank()) {
			return limit(display);
		}
		JsonNode name = body.path("name");
		if (name.path("formatted").isTextual() && !name.path("formatted").asText().isBlank()) {
			return limit(name.path("formatted").asText());
		}
		String joined = (name.path("givenName").asText("") + " " + name.path("familyName").asText("")).strip();
		return joined.isEmpty() ? null : limit(joined);
	}

	private static String limit(String name) {
		String oneLine = name.replaceAll("\\p{Cntrl}", " ").strip();
		return oneLine.length() > 200 ? oneLine.substring(0, 200) : oneLine;
	}

	/** The stored attributes with the columns written in: what a PATCH starts from. */
	private static ObjectNode storedDocument(ScimUser user) {
		ObjectNode document = readObject(user.attributes());
		document.put("userName", user.userName());
		document.put("active", user.active());
		if (user.externalId() != null) {
			document.put("externalId", user.externalId());
		}
		return document;
	}

	/** The User resource as the client reads it: stored attributes, id, groups and meta (RFC 7643 §3.1). */
	private ObjectNode resource(ScimUser user) {
		ObjectNode out = ScimResponses.object();
		ObjectNode document = storedDocument(user);
		out.set("schemas", document.has("schemas") ? document.get("schemas") : ScimResponses.object().arrayNode()
			.add(USER_SCHEMA));
		out.put("id", user.userId());
		document.remove("schemas");
		out.setAll(document);
		ArrayNode groups = out.putArray("groups");
		for (ScimGroup g : scim.groupsOf(user.connectionId(), user.userId())) {
			groups.addObject()
				.put("value", g.id())
				.put("display", g.displayName())
				.put("$ref", ScimTokens.baseUrl(settings, user.connectionId()) + "/Groups/" + g.id());
		}
		out.set("meta", meta("User", ScimTokens.baseUrl(settings, user.connectionId()) + "/Users/" + user.userId(),
				user.createdAt(), user.updatedAt(), user.version()));
		return out;
	}

	static ObjectNode meta(String resourceType, String location, Instant created, Instant lastModified,
			long version) {
		ObjectNode meta = ScimResponses.object();
		meta.put("resourceType", resourceType);
		meta.put("created", created.toString());
		meta.put("lastModified", lastModified.toString());
		meta.put("location", location);
		meta.put("version", "W/\"" + version + "\"");
		return meta;
	}

	static ObjectNode readObject(String json) {
		try {
			JsonNode node = ScimResponses.JSON.readTree(json);
			return node instanceof ObjectNode object ? object : ScimResponses.object();
		}
		catch (JsonProcessingException e) {
			return ScimResponses.object();
		}
	}

	static String json(JsonNode node) {
		try {
			return ScimResponses.JSON.writeValueAsString(node);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("a JSON tree is always serializable", e);
		}
	}
}
