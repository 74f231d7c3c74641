package dev.plinto.org;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.OrganizationAccess.Access;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * An organization's enterprise connections (docs/federation.md, "Enterprise connections"): OpenID Connect (issuer,
 * client id, client secret) or SAML 2.0 (the identity provider's metadata by URL or as XML), with the attribute
 * mapping and the role a member who joins through it gets. Managed by members holding {@code org:connections:manage}
 * ({@link OrganizationAccess}; OWASP API Security Top 10 2023, API1 "Broken Object Level Authorization": a
 * connection is always looked up within the caller's organization). Every change is audited with the acting user
 * in the change's transaction.
 * <p>
 * The OpenID Connect client secret is write-only: sealed with the master key under
 * {@link OrganizationConnection#secretAssociatedData} before it is stored and never returned (OWASP Cryptographic
 * Storage Cheat Sheet, "Secrets at rest"; OWASP API Security Top 10 2023, API3 "Broken Object Property Level
 * Authorization").
 * <p>
 * The operator (the Backend API, the admin dashboard) manages every organization's connections without being a
 * member, through the {@code …ByOperator} methods: the same steps, rules and audit events, without the member's
 * permission checks (the operator holds every permission, so a connection may grant any role of the
 * organization). Their audit events name no user: the actor is set with {@code AuditLog.actingAs}.
 */
@Service
public final class EnterpriseConnections {

	/** The sealed client secrets, for {@code plinto master-key rotate}. */
	static final SealedColumn SEALED = new SealedColumn("organization_connections", "id", "oidc_client_secret",
			"connection-secret:");

	/** Connections one organization may have (OWASP API Security Top 10 2023, API4). */
	static final int MAX_PER_ORGANIZATION = 20;

	/** Within the 64 KiB a request body may have. */
	static final int METADATA_XML_MAX = 60_000;

	private final ConnectionRepository connections;

	private final OrganizationAccess access;

	private final SecretBox box;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	EnterpriseConnections(ConnectionRepository connections, OrganizationAccess access, SecretBox box, AuditLog audit,
			TransactionOperations tx, Clock clock) {
		this.connections = connections;
		this.access = access;
		this.box = box;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
	}

	@Bean
	static SealedColumn connectionSecrets() {
		return SEALED;
	}

	/**
	 * The settings of a connection as a request gives them; null means "not given" (on update: unchanged).
	 * {@code clientSecret} is the secret in clear, sealed here.
	 */
	public record Settings(String type, String name, Boolean enabled, String issuer, String clientId,
			String clientSecret, String metadataUrl, String metadataXml, AttributeMapping attributeMapping,
			String defaultRole) {
	}

	OrganizationConnection create(Caller actor, String organizationId, Settings s) {
		return tx.execute(status -> create(actor,
				access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE), organizationId, s));
	}

	/**
	 * Creates a connection at the operator's request, as {@link #create(Caller, String, Settings)} does; its roles
	 * may be any roles of the organization. 404 when the organization does not exist.
	 */
	public OrganizationConnection createByOperator(String organizationId, Settings s, ClientInfo client) {
		return tx.execute(status -> create(operator(client), null, access.operator(organizationId).id(), s));
	}

	/** The creation; {@code a} is the creator's access, which must cover the roles (null: the operator). */
	private OrganizationConnection create(Caller actor, Access a, String organizationId, Settings s) {
		if (connections.findByOrganization(organizationId).size() >= MAX_PER_ORGANIZATION) {
			throw ApiException.validation("type", ErrorCode.VALIDATION_FAILED, "An organization has at most "
					+ MAX_PER_ORGANIZATION + " enterprise connections; delete one first.");
		}
		OrganizationConnection.Type type = type(s.type());
		String id = SecureTokens.newId("conn");
		Instant now = clock.instant();
		AttributeMapping mapping = s.attributeMapping() == null ? AttributeMapping.NONE : s.attributeMapping();
		String role = s.defaultRole() == null ? Role.MEMBER : s.defaultRole();
		OrganizationConnection c = switch (type) {
			case OIDC -> {
				require("issuer", s.issuer());
				require("client_id", s.clientId());
				require("client_secret", s.clientSecret());
				forbid(type, "metadata_url", s.metadataUrl());
				forbid(type, "metadata_xml", s.metadataXml());
				yield new OrganizationConnection(id, organizationId, type, s.name().strip(),
						s.enabled() == null || s.enabled(), issuer(s.issuer()), s.clientId().strip(),
						seal(id, s.clientSecret()), null, null, null, null, null, null, now, now);
			}
			case SAML -> {
				forbid(type, "issuer", s.issuer());
				forbid(type, "client_id", s.clientId());
				forbid(type, "client_secret", s.clientSecret());
				if ((s.metadataUrl() == null) == (s.metadataXml() == null)) {
					throw ApiException.validation("metadata_url", ErrorCode.VALIDATION_FAILED,
							"A SAML connection needs exactly one of metadata_url and metadata_xml.");
				}
				yield new OrganizationConnection(id, organizationId, type, s.name().strip(),
						s.enabled() == null || s.enabled(), null, null, null,
						s.metadataUrl() == null ? null : metadataUrl(s.metadataUrl()),
						s.metadataXml() == null ? null : metadataXml(s.metadataXml()), null, null, null, null,
						now, now);
			}
		};
		mapping.check();
		checkRoles(organizationId, a, mapping, role);
		c = withMapping(c, mapping.store(), role);
		connections.insert(c);
		audit.recordForOrganization(AuditEvent.Type.CONNECTION_CREATED, actor.userId(), actor.sessionId(),
				actor.client(), organizationId, "connection " + id + " (" + type.wire() + ")");
		return c;
	}

	List<OrganizationConnection> list(String userId, String organizationId) {
		access.require(userId, organizationId, Role.CONNECTIONS_MANAGE);
		return connections.findByOrganization(organizationId);
	}

	OrganizationConnection get(String userId, String organizationId, String connectionId) {
		access.require(userId, organizationId, Role.CONNECTIONS_MANAGE);
		return find(organizationId, connectionId);
	}

	/** The organization's connections, oldest first, for the operator; 404 when it does not exist. */
	public List<OrganizationConnection> listByOperator(String organizationId) {
		return connections.findByOrganization(access.operator(organizationId).id());
	}

	/** A connection of the organization, for the operator; 404 for one of another organization. */
	public OrganizationConnection getByOperator(String organizationId, String connectionId) {
		return find(access.operator(organizationId).id(), connectionId);
	}

	/** Changes the given settings (null: unchanged); the type cannot change. */
	OrganizationConnection update(Caller actor, String organizationId, String connectionId, Settings s) {
		return tx.execute(status -> update(actor,
				access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE), organizationId, connectionId,
				s));
	}

	/**
	 * Changes a connection at the operator's request, as {@link #update(Caller, String, String, Settings)} does.
	 * 404 when the organization does not exist or has no connection with this id.
	 */
	public OrganizationConnection updateByOperator(String organizationId, String connectionId, Settings s,
			ClientInfo client) {
		return tx.execute(status -> update(operator(client), null, access.operator(organizationId).id(),
				connectionId, s));
	}

	/** The change; {@code a} is the changer's access, which must cover the roles (null: the operator). */
	private OrganizationConnection update(Caller actor, Access a, String organizationId, String connectionId,
			Settings s) {
		OrganizationConnection c = find(organizationId, connectionId);
		if (s.type() != null && !s.type().equals(c.type().wire())) {
			throw ApiException.validation("type", ErrorCode.VALIDATION_FAILED,
					"The type of a connection cannot change; create a new connection instead.");
		}
		List<String> changed = new ArrayList<>();
		String name = c.name();
		if (s.name() != null && !s.name().strip().equals(name)) {
			name = s.name().strip();
			changed.add("name");
		}
		boolean enabled = c.enabled();
		if (s.enabled() != null && s.enabled() != enabled) {
			enabled = s.enabled();
			changed.add(enabled ? "enabled" : "disabled");
		}
		String issuer = c.oidcIssuer();
		String clientId = c.oidcClientId();
		String secret = c.oidcClientSecret();
		String metadataUrl = c.samlMetadataUrl();
		String metadataXml = c.samlMetadataXml();
		if (c.type() == OrganizationConnection.Type.OIDC) {
			forbid(c.type(), "metadata_url", s.metadataUrl());
			forbid(c.type(), "metadata_xml", s.metadataXml());
			if (s.issuer() != null && !issuer(s.issuer()).equals(issuer)) {
				issuer = issuer(s.issuer());
				changed.add("issuer");
			}
			if (s.clientId() != null && !s.clientId().strip().equals(clientId)) {
				require("client_id", s.clientId());
				clientId = s.clientId().strip();
				changed.add("client_id");
			}
			if (s.clientSecret() != null) {
				require("client_secret", s.clientSecret());
				secret = seal(c.id(), s.clientSecret());
				changed.add("client_secret");
			}
		}
		else {
			forbid(c.type(), "issuer", s.issuer());
			forbid(c.type(), "client_id", s.clientId());
			forbid(c.type(), "client_secret", s.clientSecret());
			if (s.metadataUrl() != null && s.metadataXml() != null) {
				throw ApiException.validation("metadata_url", ErrorCode.VALIDATION_FAILED,
						"Give either metadata_url or metadata_xml, not both.");
			}
			if (s.metadataUrl() != null) {
				metadataUrl = metadataUrl(s.metadataUrl());
				metadataXml = null;
				changed.add("metadata_url");
			}
			if (s.metadataXml() != null) {
				metadataXml = metadataXml(s.metadataXml());
				metadataUrl = null;
				changed.add("metadata_xml");
			}
		}
		String mapping = c.attributeMapping();
		AttributeMapping newMapping = AttributeMapping.read(mapping);
		if (s.attributeMapping() != null) {
			s.attributeMapping().check();
			newMapping = s.attributeMapping();
			String stored = newMapping.store();
			if (!stored.equals(mapping)) {
				mapping = stored;
				changed.add("attribute_mapping");
			}
		}
		String role = c.defaultRole();
		if (s.defaultRole() != null && !s.defaultRole().equals(role)) {
			role = s.defaultRole();
			changed.add("default_role " + c.defaultRole() + " -> " + role);
		}
		if (s.attributeMapping() != null || s.defaultRole() != null) {
			checkRoles(organizationId, a, newMapping, role);
		}
		OrganizationConnection updated = new OrganizationConnection(c.id(), organizationId, c.type(), name,
				enabled, issuer, clientId, secret, metadataUrl, metadataXml, mapping, role, c.scimTokenHash(),
				c.scimTokenCreatedAt(), c.createdAt(), changed.isEmpty() ? c.updatedAt() : clock.instant());
		if (!changed.isEmpty()) {
			connections.update(updated);
			audit.recordForOrganization(AuditEvent.Type.CONNECTION_UPDATED, actor.userId(), actor.sessionId(),
					actor.client(), organizationId, "connection " + c.id() + ": " + String.join(", ", changed));
		}
		return updated;
	}

	/** Deletes a connection; domains routed to it stop routing (their connection becomes none). */
	void delete(Caller actor, String organizationId, String connectionId) {
		tx.executeWithoutResult(status -> {
			access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE);
			delete(actor, organizationId, find(organizationId, connectionId));
		});
	}

	/**
	 * Deletes a connection at the operator's request, as {@link #delete(Caller, String, String)} does. 404 when
	 * the organization does not exist or has no connection with this id.
	 */
	public void deleteByOperator(String organizationId, String connectionId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			String id = access.operator(organizationId).id();
			delete(operator(client), id, find(id, connectionId));
		});
	}

	private void delete(Caller actor, String organizationId, OrganizationConnection c) {
		connections.delete(organizationId, c.id());
		audit.recordForOrganization(AuditEvent.Type.CONNECTION_DELETED, actor.userId(), actor.sessionId(),
				actor.client(), organizationId, "connection " + c.id() + " (" + c.type().wire() + ")");
	}

	/** The operator as a caller of the shared steps: no user, no session; the actor is set by {@code AuditLog.actingAs}. */
	private static Caller operator(ClientInfo client) {
		return new Caller(null, null, client);
	}

	/** The connection within this organization; 404 otherwise, whether it exists elsewhere or not. */
	OrganizationConnection find(String organizationId, String connectionId) {
		if (!OrganizationAccess.plausibleId(connectionId)) {
			throw connectionNotFound();
		}
		return connections.findById(connectionId)
			.filter(c -> c.organizationId().equals(organizationId))
			.orElseThrow(EnterpriseConnections::connectionNotFound);
	}

	static ApiException connectionNotFound() {
		return new ApiException(ErrorCode.NOT_FOUND, "This organization has no connection with this id.");
	}

	/**
	 * The default role and every role of the mapping must exist in the organization, and the caller must hold every
	 * {@code org:*} permission of each: a connection cannot grant what its admin does not hold (OWASP Authorization
	 * Cheat Sheet, "Enforce least privileges"). The operator ({@code a} null) holds every permission.
	 */
	private void checkRoles(String organizationId, Access a, AttributeMapping mapping, String defaultRole) {
		Role role = access.findRole(organizationId, defaultRole);
		if (role == null) {
			throw ApiException.validation("default_role", ErrorCode.UNKNOWN_ROLE,
					"default_role must be a built-in role or a custom role of this organization.");
		}
		if (a != null) {
			access.requireCovers(a, role, "let the connection grant the role '" + role.key() + "'");
		}
		for (Map.Entry<String, String> rule : mapping.roles().entrySet()) {
			Role mapped = access.findRole(organizationId, rule.getValue());
			if (mapped == null) {
				throw ApiException.validation("attribute_mapping.roles", ErrorCode.UNKNOWN_ROLE,
						"attribute_mapping.roles maps the group '" + rule.getKey() + "' to '" + rule.getValue()
								+ "', which is not a role of this organization.");
			}
			if (a != null) {
				access.requireCovers(a, mapped, "let the connection grant the role '" + mapped.key() + "'");
			}
		}
	}

	private String seal(String connectionId, String clientSecret) {
		return box.seal(clientSecret, OrganizationConnection.secretAssociatedData(connectionId));
	}

	private static OrganizationConnection withMapping(OrganizationConnection c, String mapping, String role) {
		return new OrganizationConnection(c.id(), c.organizationId(), c.type(), c.name(), c.enabled(), c.oidcIssuer(),
				c.oidcClientId(), c.oidcClientSecret(), c.samlMetadataUrl(), c.samlMetadataXml(), mapping, role,
				c.scimTokenHash(), c.scimTokenCreatedAt(), c.createdAt(), c.updatedAt());
	}

	private static OrganizationConnection.Type type(String type) {
		for (OrganizationConnection.Type t : OrganizationConnection.Type.values()) {
			if (t.wire().equals(type)) {
				return t;
			}
		}
		throw ApiException.validation("type", ErrorCode.VALIDATION_FAILED, "type must be oidc or saml.");
	}

	private static void require(String field, String value) {
		if (value == null || value.isBlank()) {
			throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED,
					field + " is required for this type of connection.");
		}
	}

	private static void forbid(OrganizationConnection.Type type, String field, String value) {
		if (value != null) {
			throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED,
					field + " does not apply to a " + type.wire() + " connection.");
		}
	}

	/**
	 * An OpenID Connect issuer: an https URL without query or fragment (OpenID Connect Discovery 1.0 §2), or http
	 * on a loopback host for development.
	 */
	static String issuer(String raw) {
		String value = raw.strip();
		if (!webUrl(value, true)) {
			throw ApiException.validation("issuer", ErrorCode.VALIDATION_FAILED, "issuer must be an https URL "
					+ "without query or fragment, such as https://idp.example.com (OpenID Connect Discovery §2).");
		}
		return value;
	}

	/** The metadata URL of a SAML identity provider: https only, so the metadata's keys arrive unaltered. */
	static String metadataUrl(String raw) {
		String value = raw.strip();
		if (!webUrl(value, false)) {
			throw ApiException.validation("metadata_url", ErrorCode.VALIDATION_FAILED,
					"metadata_url must be an https URL without fragment.");
		}
		return value;
	}

	private static boolean webUrl(String value, boolean loopbackHttp) {
		try {
			URI uri = new URI(value);
			if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
				return false;
			}
			if (loopbackHttp && uri.getRawQuery() != null) {
				return false;
			}
			boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())
					|| "[::1]".equals(uri.getHost());
			return "https".equals(uri.getScheme()) || loopbackHttp && loopback && "http".equals(uri.getScheme());
		}
		catch (URISyntaxException e) {
			return false;
		}
	}

	/**
	 * SAML metadata given inline: well-formed XML whose root is an {@code EntityDescriptor} (SAML 2.0 Metadata
	 * §2.3.2). Parsed with DTDs and external entities refused (OWASP XML External Entity Prevention Cheat Sheet,
	 * "JAXP DocumentBuilderFactory").
	 */
	static String metadataXml(String xml) {
		if (xml.length() > METADATA_XML_MAX) {
			throw ApiException.validation("metadata_xml", ErrorCode.VALIDATION_FAILED,
					"metadata_xml must be at most " + METADATA_XML_MAX + " characters.");
		}
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setNamespaceAware(true);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
			factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setXIncludeAware(false);
			factory.setExpandEntityReferences(false);
			var builder = factory.newDocumentBuilder();
			builder.setErrorHandler(null);
			Element root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
			if (!"EntityDescriptor".equals(root.getLocalName())
					|| !"urn:oasis:names:tc:SAML:2.0:metadata".equals(root.getNamespaceURI())) {
				throw ApiException.validation("metadata_xml", ErrorCode.VALIDATION_FAILED,
						"metadata_xml must be SAML 2.0 metadata: one md:EntityDescriptor element.");
			}
			return xml;
		}
		catch (ApiException e) {
			throw e;
		}
		catch (Exception e) {
			throw ApiException.validation("metadata_xml", ErrorCode.VALIDATION_FAILED,
					"metadata_xml must be well-formed XML without a DOCTYPE.");
		}
	}
}
