package dev.plinto.org;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The email domains of organizations (docs/federation.md, "Domains"): a claim ({@link DomainNames} decides what may
 * be claimed), its verification by a DNS TXT record ({@code _plinto-verification.<domain>} holding
 * {@code plinto-verification=<token>}: a random token under an underscore label, as ACME's dns-01 challenge of
 * RFC 8555 §8.4 proves control of a domain) or by the instance operator ({@code plinto organizations domains verify}), and its
 * routing: which connection signs its users in, and whether passwords are refused for them. A domain is verified for
 * one organization at a time (a unique index); only a verified domain routes or disables passwords, so a claim alone
 * changes nothing for anyone.
 * <p>
 * Managed by members holding {@code org:connections:manage} ({@link OrganizationAccess}); every change is audited
 * with the acting user, or {@code cli} for the operator's verification without DNS. The Backend API and the admin
 * dashboard manage every organization's domains without being a member, through the other {@code …ByOperator}
 * methods: the same steps and rules (a claim is verified by its DNS TXT record, as a member's), without the
 * member's permission check; their audit events name no user, the actor is set with {@code AuditLog.actingAs}.
 */
@Service
public final class OrganizationDomains {

	/** The label under which the TXT record is published. */
	static final String RECORD_LABEL = "_plinto-verification";

	/** The prefix of the TXT record's value. */
	static final String VALUE_PREFIX = "plinto-verification=";

	/** The actor of the operator's changes in the audit log. */
	static final String OPERATOR = "cli";

	/** Domains one organization may claim (OWASP API Security Top 10 2023, API4). */
	static final int MAX_PER_ORGANIZATION = 50;

	private final ConnectionRepository connections;

	private final OrganizationRepository organizations;

	private final OrganizationAccess access;

	private final DnsTxtRecords dns;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	OrganizationDomains(ConnectionRepository connections, OrganizationRepository organizations,
			OrganizationAccess access, DnsTxtRecords dns, AuditLog audit, TransactionOperations tx, Clock clock) {
		this.connections = connections;
		this.organizations = organizations;
		this.access = access;
		this.dns = dns;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
	}

	/** The name of the TXT record that verifies {@code domain}. */
	public static String recordName(String domain) {
		return RECORD_LABEL + "." + domain;
	}

	/** The value of the TXT record that verifies a claim. */
	public static String recordValue(OrganizationDomain d) {
		return VALUE_PREFIX + d.verificationToken();
	}

	OrganizationDomain claim(Caller actor, String organizationId, String rawDomain) {
		String domain = DomainNames.claimable(rawDomain);
		return tx.execute(status -> {
			access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE);
			return insertClaim(organizationId, domain, actor.userId(), actor.sessionId(), actor.client());
		});
	}

	/**
	 * Claims a domain for the organization at the operator's request, as {@link #claim(Caller, String, String)} does
	 * (the same domains refused, the same limit); it is verified by DNS like a member's claim. 404 when the
	 * organization does not exist.
	 */
	public OrganizationDomain claimByOperator(String organizationId, String rawDomain, ClientInfo client) {
		String domain = DomainNames.claimable(rawDomain);
		return tx.execute(status -> insertClaim(access.operator(organizationId).id(), domain, null, null, client));
	}

	private OrganizationDomain insertClaim(String organizationId, String domain, String actorId, String sessionId,
			ClientInfo client) {
		if (connections.findDomain(organizationId, domain).isPresent()) {
			throw new ApiException(ErrorCode.DOMAIN_EXISTS, "This organization already claims " + domain + ".");
		}
		if (connections.findVerifiedDomain(domain).isPresent()) {
			throw taken(domain);
		}
		if (connections.findDomains(organizationId).size() >= MAX_PER_ORGANIZATION) {
			throw ApiException.validation("domain", ErrorCode.VALIDATION_FAILED,
					"An organization claims at most " + MAX_PER_ORGANIZATION + " domains; delete one first.");
		}
		OrganizationDomain d = new OrganizationDomain(organizationId, domain, null, SecureTokens.newSecret(), null,
				null, false, clock.instant());
		try {
			connections.insertDomain(d);
		}
		catch (DuplicateKeyException e) {
			throw new ApiException(ErrorCode.DOMAIN_EXISTS, "This organization already claims " + domain + ".");
		}
		audit.recordForOrganization(AuditEvent.Type.DOMAIN_CLAIMED, actorId, sessionId, client, organizationId,
				"domain " + domain);
		return d;
	}

	List<OrganizationDomain> list(String userId, String organizationId) {
		access.require(userId, organizationId, Role.CONNECTIONS_MANAGE);
		return connections.findDomains(organizationId);
	}

	OrganizationDomain get(String userId, String organizationId, String rawDomain) {
		access.require(userId, organizationId, Role.CONNECTIONS_MANAGE);
		return find(organizationId, rawDomain);
	}

	/** The organization's claimed domains, by domain, for the operator; 404 when it does not exist. */
	public List<OrganizationDomain> listByOperator(String organizationId) {
		return connections.findDomains(access.operator(organizationId).id());
	}

	/** The organization's claim on a domain, for the operator; 404 when it does not claim it. */
	public OrganizationDomain getByOperator(String organizationId, String rawDomain) {
		return find(access.operator(organizationId).id(), rawDomain);
	}

	/**
	 * Verifies a claim by its DNS TXT record. The lookup runs outside any transaction (it waits on the network);
	 * the token is compared in constant time. 422 {@code domain_not_verified} when no record carries it, 409
	 * {@code domain_taken} when another organization verified the domain first.
	 */
	OrganizationDomain verify(Caller actor, String organizationId, String rawDomain) {
		access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE);
		OrganizationDomain d = find(organizationId, rawDomain);
		if (d.verified()) {
			return d;
		}
		requirePublishedRecord(d);
		return tx.execute(status -> {
			access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE);
			return markVerified(organizationId, d.domain(), "dns", actor.userId(), actor.sessionId(), actor.client());
		});
	}

	/**
	 * Verifies a claim by its DNS TXT record at the operator's request (the Backend API, the admin dashboard), as
	 * {@link #verify(Caller, String, String)} does: the same lookup and the same answers. 404 when the organization
	 * does not exist or does not claim the domain.
	 */
	public OrganizationDomain verifyDnsByOperator(String organizationId, String rawDomain, ClientInfo client) {
		OrganizationDomain d = find(access.operator(organizationId).id(), rawDomain);
		if (d.verified()) {
			return d;
		}
		requirePublishedRecord(d);
		return tx.execute(status -> markVerified(access.operator(organizationId).id(), d.domain(), "dns", null, null,
				client));
	}

	/**
	 * Looks up the claim's TXT record and compares each value with the token in constant time: 422
	 * {@code domain_not_verified} when none carries it. Runs outside any transaction: it waits on the network.
	 */
	private void requirePublishedRecord(OrganizationDomain d) {
		String expected = recordValue(d);
		boolean found = dns.lookup(recordName(d.domain()))
			.stream()
			.anyMatch(value -> SecureTokens.constantTimeEquals(value.strip(), expected));
		if (!found) {
			throw new ApiException(ErrorCode.DOMAIN_NOT_VERIFIED, "No TXT record " + recordName(d.domain())
					+ " with the value " + expected + " was found; publish it, wait for DNS to update, then retry.");
		}
	}

	/**
	 * The instance operator's verification ({@code plinto organizations domains verify}): claims the domain for the
	 * organization if it does not yet, then marks it verified without DNS, audited with the actor {@code cli}. The
	 * same rules apply as for a claim, and a domain verified by another organization stays theirs.
	 */
	public OrganizationDomain verifyByOperator(String organizationId, String rawDomain) {
		String domain = DomainNames.claimable(rawDomain);
		return tx.execute(status -> {
			if (!OrganizationAccess.plausibleId(organizationId) || organizations.findById(organizationId).isEmpty()) {
				throw new ApiException(ErrorCode.NOT_FOUND, "No organization has the id " + organizationId + ".");
			}
			OrganizationDomain d = connections.findDomain(organizationId, domain)
				.orElseGet(() -> insertClaim(organizationId, domain, OPERATOR, null, ClientInfo.none()));
			if (d.verified()) {
				return d;
			}
			return markVerified(organizationId, domain, "admin", OPERATOR, null, ClientInfo.none());
		});
	}

	private OrganizationDomain markVerified(String organizationId, String domain, String by, String actorId,
			String sessionId, ClientInfo client) {
		if (!connections.markDomainVerified(organizationId, domain, by, clock.instant())) {
			throw taken(domain);
		}
		audit.recordForOrganization(AuditEvent.Type.DOMAIN_VERIFIED, actorId, sessionId, client, organizationId,
				"domain " + domain + " verified by " + by);
		return connections.findDomain(organizationId, domain).orElseThrow();
	}

	/**
	 * Sets a domain's routing: the connection its users sign in with (null: none) and whether passwords are refused
	 * for them, which needs a connection. Both take effect once the domain is verified.
	 */
	OrganizationDomain route(Caller actor, String organizationId, String rawDomain, String connectionId,
			boolean passwordsDisabled) {
		return tx.execute(status -> {
			access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE);
			return setRouting(actor, organizationId, rawDomain, connectionId, passwordsDisabled);
		});
	}

	/**
	 * Sets a domain's routing at the operator's request, as {@link #route(Caller, String, String, String, boolean)}
	 * does. 404 when the organization does not exist or does not claim the domain.
	 */
	public OrganizationDomain routeByOperator(String organizationId, String rawDomain, String connectionId,
			boolean passwordsDisabled, ClientInfo client) {
		return tx.execute(status -> setRouting(new Caller(null, null, client), access.operator(organizationId).id(),
				rawDomain, connectionId, passwordsDisabled));
	}

	private OrganizationDomain setRouting(Caller actor, String organizationId, String rawDomain,
			String connectionId, boolean passwordsDisabled) {
		OrganizationDomain d = find(organizationId, rawDomain);
		if (connectionId != null && (!OrganizationAccess.plausibleId(connectionId) || connections
			.findById(connectionId)
			.filter(c -> c.organizationId().equals(organizationId))
			.isEmpty())) {
			throw ApiException.validation("connection_id", ErrorCode.UNKNOWN_CONNECTION,
					"connection_id must be the id of a connection of this organization.");
		}
		if (passwordsDisabled && connectionId == null) {
			throw ApiException.validation("passwords_disabled", ErrorCode.VALIDATION_FAILED,
					"Passwords can be disabled only for a domain routed to a connection (connection_id).");
		}
		boolean same = java.util.Objects.equals(connectionId, d.connectionId())
				&& passwordsDisabled == d.passwordsDisabled();
		if (!same) {
			connections.updateDomainRouting(organizationId, d.domain(), connectionId, passwordsDisabled);
			audit.recordForOrganization(AuditEvent.Type.DOMAIN_UPDATED, actor.userId(), actor.sessionId(),
					actor.client(), organizationId, "domain " + d.domain() + ": connection "
							+ (connectionId == null ? "none" : connectionId) + ", passwords "
							+ (passwordsDisabled ? "disabled" : "allowed"));
		}
		return connections.findDomain(organizationId, d.domain()).orElseThrow();
	}

	void delete(Caller actor, String organizationId, String rawDomain) {
		tx.executeWithoutResult(status -> {
			access.require(actor.userId(), organizationId, Role.CONNECTIONS_MANAGE);
			delete(actor, organizationId, find(organizationId, rawDomain));
		});
	}

	/**
	 * Removes a domain at the operator's request, as {@link #delete(Caller, String, String)} does: its routing ends
	 * at once. 404 when the organization does not exist or does not claim the domain.
	 */
	public void deleteByOperator(String organizationId, String rawDomain, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			String id = access.operator(organizationId).id();
			delete(new Caller(null, null, client), id, find(id, rawDomain));
		});
	}

	private void delete(Caller actor, String organizationId, OrganizationDomain d) {
		connections.deleteDomain(organizationId, d.domain());
		audit.recordForOrganization(AuditEvent.Type.DOMAIN_DELETED, actor.userId(), actor.sessionId(),
				actor.client(), organizationId, "domain " + d.domain() + (d.verified() ? " (was verified)" : ""));
	}

	/** The organization's claim on a domain (given in any form); 404 otherwise. */
	private OrganizationDomain find(String organizationId, String rawDomain) {
		return dev.plinto.account.EmailAddress.asciiDomain(rawDomain)
			.flatMap(domain -> connections.findDomain(organizationId, domain))
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "This organization does not claim this domain."));
	}

	private static ApiException taken(String domain) {
		return new ApiException(ErrorCode.DOMAIN_TAKEN, "Another organization holds " + domain + " verified.");
	}
}
