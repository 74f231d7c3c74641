package dev.plinto.org;

import dev.plinto.account.EmailAddress;
import dev.plinto.account.PasswordSignInPolicy;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Where an email address signs in (docs/federation.md, "Domain routing"): when its domain is verified by an
 * organization and routed to an enabled connection, through that connection's identity provider; otherwise as the
 * server offers. Also the {@link PasswordSignInPolicy} of the identity core: passwords are refused for the addresses
 * of a verified domain with {@code passwords_disabled}.
 * <p>
 * Every answer depends on the domain alone, never on whether an account exists, so neither the sign-in page nor
 * {@code POST /v1/sign-in/discover} can be asked which addresses have accounts (OWASP Authentication Cheat Sheet,
 * "Authentication and Error Messages"; OWASP Web Security Testing Guide, WSTG-IDNT-04 "Testing for Account
 * Enumeration"). Which domains use which identity provider is public anyway (their DNS and the IdP's own page).
 */
@Component
public final class DomainRouting implements PasswordSignInPolicy {

	private final ConnectionRepository connections;

	DomainRouting(ConnectionRepository connections) {
		this.connections = connections;
	}

	/**
	 * The enterprise sign-in of a verified domain: the connection, its protocol, and whether passwords are refused.
	 * {@link #startPath()} is the path that starts the sign-in in a browser (the federation's routes; add
	 * {@code ?redirect_url=…}).
	 */
	public record Route(String connectionId, OrganizationConnection.Type type, boolean passwordsDisabled) {

		public String startPath() {
			return switch (type) {
				case OIDC -> "/sso/connections/" + connectionId + "/start";
				case SAML -> "/saml/" + connectionId + "/start";
			};
		}
	}

	/** The route of an address whose domain is verified and routed to an enabled connection. */
	public Optional<Route> route(String rawEmail) {
		return EmailAddress.domainOf(rawEmail)
			.flatMap(connections::findVerifiedDomain)
			.filter(d -> d.connectionId() != null)
			.flatMap(d -> connections.findById(d.connectionId())
				.filter(OrganizationConnection::enabled)
				.map(c -> new Route(c.id(), c.type(), d.passwordsDisabled())));
	}

	@Override
	public boolean passwordsDisabled(String domain) {
		return connections.findVerifiedDomain(domain).map(OrganizationDomain::passwordsDisabled).orElse(false);
	}
}
