package dev.plinto.scim;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.org.ProvisionedMemberships;
import dev.plinto.org.Role;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The SCIM bearer token of each organization connection (RFC 7644 §2 authenticates SCIM clients with OAuth bearer
 * tokens, RFC 6750).
 * <p>
 * A token is {@code scim_} and 256 random bits ({@link SecureTokens#newSecret()}), shown once when an organization
 * admin creates it; only its SHA-256 is stored (OWASP Secrets Management Cheat Sheet: high-entropy secrets may be
 * stored as a fast hash; {@code organization_connections.scim_token_hash}). Creating a new one replaces the old one
 * at once (rotation). A presented token is found by its hash through the unique index, so the secret itself is
 * never compared in Java, and the stored hash is compared again in constant time. A token authenticates for its
 * connection only: the security filter chain allows it on {@code /scim/v2/{thatConnection}/**} and nowhere else.
 */
@Service
public final class ScimTokens {

	/** Every SCIM token starts with this, so it is recognisable in a secret scanner and never taken for a JWT. */
	public static final String PREFIX = "scim_";

	private final ConnectionRepository connections;

	private final ProvisionedMemberships memberships;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	ScimTokens(ConnectionRepository connections, ProvisionedMemberships memberships, AuditLog audit,
			TransactionOperations tx, Clock clock, PlintoSettings settings) {
		this.connections = connections;
		this.memberships = memberships;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
	}

	/** The id of the connection whose SCIM token this is; empty for anything else. */
	public Optional<String> connectionOf(String token) {
		if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
			return Optional.empty();
		}
		String hash = SecureTokens.hash(token);
		return connections.findByScimTokenHash(hash)
			.filter(c -> SecureTokens.constantTimeEquals(hash, c.scimTokenHash()))
			.map(OrganizationConnection::id);
	}

	/** A new token, shown once, with the base URL the identity provider is configured with. */
	public record Issued(String connectionId, String token, Instant createdAt, String scimBaseUrl) {
	}

	/**
	 * Creates (or replaces) the connection's SCIM token; needs {@code org:manage} in the connection's organization.
	 * A connection of another organization is answered 404 {@code not_found} like one that does not exist.
	 */
	Issued issue(Caller caller, String organizationId, String connectionId) {
		return tx.execute(status -> {
			memberships.requirePermission(caller.userId(), organizationId, Role.MANAGE);
			return issue(caller, organizationId, connection(organizationId, connectionId));
		});
	}

	/**
	 * Creates (or replaces) the connection's SCIM token at the operator's request (the Backend API), as
	 * {@link #issue(Caller, String, String)} does: shown once, stored as its hash, audited with the actor set by
	 * {@code AuditLog.actingAs}. 404 when the organization does not exist or has no connection with this id.
	 */
	public Issued issueByOperator(String organizationId, String connectionId, ClientInfo client) {
		return tx.execute(status -> {
			memberships.requireOrganization(organizationId);
			return issue(new Caller(null, null, client), organizationId, connection(organizationId, connectionId));
		});
	}

	private Issued issue(Caller caller, String organizationId, OrganizationConnection connection) {
		String token = PREFIX + SecureTokens.newSecret();
		Instant now = clock.instant();
		boolean rotated = connection.scimTokenHash() != null;
		connections.setScimToken(connection.id(), SecureTokens.hash(token), now);
		audit.recordForOrganization(AuditEvent.Type.SCIM_TOKEN_CREATED, caller.userId(), caller.sessionId(),
				caller.client(), organizationId,
				"connection " + connection.id() + (rotated ? " (replaces the previous token)" : ""));
		return new Issued(connection.id(), token, now, baseUrl(settings, connection.id()));
	}

	/**
	 * Withdraws the connection's SCIM token, so provisioning stops until a new one is created; needs
	 * {@code org:manage}. Without a token it changes nothing.
	 */
	void revoke(Caller caller, String organizationId, String connectionId) {
		tx.executeWithoutResult(status -> {
			memberships.requirePermission(caller.userId(), organizationId, Role.MANAGE);
			revoke(caller, organizationId, connection(organizationId, connectionId));
		});
	}

	/**
	 * Withdraws the connection's SCIM token at the operator's request (the Backend API), as
	 * {@link #revoke(Caller, String, String)} does. 404 when the organization does not exist or has no connection
	 * with this id.
	 */
	public void revokeByOperator(String organizationId, String connectionId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			memberships.requireOrganization(organizationId);
			revoke(new Caller(null, null, client), organizationId, connection(organizationId, connectionId));
		});
	}

	private void revoke(Caller caller, String organizationId, OrganizationConnection connection) {
		if (connection.scimTokenHash() == null) {
			return;
		}
		connections.setScimToken(connection.id(), null, clock.instant());
		audit.recordForOrganization(AuditEvent.Type.SCIM_TOKEN_REVOKED, caller.userId(), caller.sessionId(),
				caller.client(), organizationId, "connection " + connection.id());
	}

	/** The connection within the organization; 404 otherwise, whether it exists elsewhere or not. */
	private OrganizationConnection connection(String organizationId, String connectionId) {
		return connections.findById(connectionId)
			.filter(c -> c.organizationId().equals(organizationId))
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
					"This organization has no connection with this id."));
	}

	/** The SCIM base URL of a connection (RFC 7644 §1.3, "Base URI"). */
	static String baseUrl(PlintoSettings settings, String connectionId) {
		return settings.baseUrl() + "/scim/v2/" + connectionId;
	}
}
