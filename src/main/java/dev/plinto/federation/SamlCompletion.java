package dev.plinto.federation;

import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.SignInService;
import dev.plinto.web.ClientInfo;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns a validated SAML assertion into the identity the federation core signs in ({@link FederatedSignIn}): the
 * subject is the NameID, the email, name and role come from the connection's attribute mapping
 * ({@link SamlAttributeMapping}), and the identity belongs to the connection ({@code connection:} + id), so the core
 * makes the account just in time and joins it to the connection's organization with the mapped role.
 *
 * <p>The email counts as verified only when its domain is a verified domain of the connection's own organization
 * (docs/organizations.md, domains): the identity provider is the authority for the addresses of the domains the
 * organization proved it holds, and for nothing else. So an identity provider cannot take over an existing account
 * of another domain by asserting its address: the core links to an existing account by email only when both sides
 * are verified (OWASP SAML Security Cheat Sheet, "Identity Provider and Service Provider considerations": the SP
 * decides which identities an IdP may assert).
 */
@Component
final class SamlCompletion {

	private static final int MAX_NAME = 200;

	private final FederatedSignIn federated;

	private final ConnectionRepository connections;

	SamlCompletion(FederatedSignIn federated, ConnectionRepository connections) {
		this.federated = federated;
		this.connections = connections;
	}

	/** The identity the assertion proves, for the connection it came through. */
	ExternalIdentity identity(SamlSignIns.Assertion assertion) throws SamlRefusal {
		OrganizationConnection connection = assertion.connection();
		SamlAttributeMapping.Profile profile = SamlAttributeMapping.parse(connection.attributeMapping())
			.apply(assertion.nameId(), assertion.nameIdFormat(), assertion.attributes());
		String subject = assertion.nameId();
		if (subject == null || subject.isBlank() || subject.length() > ExternalIdentity.MAX_SUBJECT) {
			throw new SamlRefusal(SamlRefusal.Reason.INVALID, "the assertion's NameID is empty or too long");
		}
		String name = profile.name() == null ? null
				: profile.name().length() > MAX_NAME ? profile.name().substring(0, MAX_NAME) : profile.name();
		Map<String, String> shown = new HashMap<>();
		if (name != null) {
			shown.put("name", name);
		}
		return new ExternalIdentity(ExternalIdentity.connectionProvider(connection.id()), subject, profile.email(),
				domainVerified(connection, profile.email()), name, shown, connection.id(),
				profile.role().orElse(connection.defaultRole()));
	}

	/** Signs in (or up, just in time) with the assertion's identity: the core's result for the hosted pages. */
	SignInService.SignInResult signIn(ExternalIdentity identity, ClientInfo client) {
		return federated.signIn(identity, SignInFlow.Type.BROWSER, client);
	}

	private boolean domainVerified(OrganizationConnection connection, String email) {
		String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
		return connections.findVerifiedDomain(domain)
			.filter(d -> d.organizationId().equals(connection.organizationId()))
			.isPresent();
	}
}
