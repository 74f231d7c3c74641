package dev.plinto.oidc;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.ClientInfo;
import java.util.TreeSet;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/** The consents users give to clients, stored by Spring's JDBC service; each one given is audited. */
final class AuditedConsents implements OAuth2AuthorizationConsentService {

	private final OAuth2AuthorizationConsentService store;

	private final RegisteredClientRepository clients;

	private final AuditLog audit;

	AuditedConsents(OAuth2AuthorizationConsentService store, RegisteredClientRepository clients, AuditLog audit) {
		this.store = store;
		this.clients = clients;
		this.audit = audit;
	}

	@Override
	public void save(OAuth2AuthorizationConsent consent) {
		store.save(consent);
		RegisteredClient client = clients.findById(consent.getRegisteredClientId());
		audit.record(AuditEvent.Type.OIDC_CONSENT_GRANTED, consent.getPrincipalName(), null, ClientInfo.none(),
				(client == null ? consent.getRegisteredClientId() : client.getClientId()) + ": "
						+ String.join(" ", new TreeSet<>(consent.getScopes())));
	}

	@Override
	public void remove(OAuth2AuthorizationConsent consent) {
		store.remove(consent);
	}

	@Override
	public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
		return store.findById(registeredClientId, principalName);
	}
}
