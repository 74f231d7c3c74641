package dev.plinto.federation;

import dev.plinto.config.FederationSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.pages.LinkedAccounts;
import dev.plinto.pages.SignInOptions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The account page's "Linked accounts" section, from the user's linked identities and the configured providers. */
@Component
final class AccountIdentities implements LinkedAccounts {

	private final FederatedSignIn federated;

	private final ConnectionRepository connections;

	private final PlintoSettings settings;

	AccountIdentities(FederatedSignIn federated, ConnectionRepository connections, PlintoSettings settings) {
		this.federated = federated;
		this.connections = connections;
		this.settings = settings;
	}

	@Override
	public List<Linked> linked(String userId) {
		return federated.identities(userId).stream().map(i -> new Linked(i.id(), providerName(i.provider()),
				label(i), i.emailVerified(), i.createdAt())).toList();
	}

	@Override
	public List<SignInOptions.Provider> linkable(String userId) {
		Set<String> linked = federated.identities(userId)
			.stream()
			.map(LinkedIdentity::provider)
			.collect(Collectors.toSet());
		return settings.federation()
			.providers()
			.stream()
			.filter(p -> !linked.contains(p.key()))
			.map(p -> new SignInOptions.Provider(p.key(), p.name()))
			.toList();
	}

	private String providerName(String provider) {
		if (provider.startsWith("connection:")) {
			return connections.findById(provider.substring("connection:".length()))
				.map(OrganizationConnection::name)
				.orElse(provider);
		}
		return settings.federation().provider(provider).map(FederationSettings.Provider::name).orElse(provider);
	}

	private static String label(LinkedIdentity i) {
		if (i.email() != null) {
			return i.email();
		}
		String username = i.profile().get("username");
		return username != null ? username : i.profile().getOrDefault("name", "");
	}
}
