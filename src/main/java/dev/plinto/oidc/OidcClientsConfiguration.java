package dev.plinto.oidc;

import dev.plinto.audit.AuditLog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The registered clients and their management ({@link OidcClients}), on their own so the command line's small
 * context ({@code plinto clients …}) gets them without the rest of the provider.
 */
@Configuration(proxyBeanMethods = false)
public class OidcClientsConfiguration {

	/**
	 * Spring Authorization Server's JDBC repository over {@code oauth2_registered_client} (V10), parsing a row again
	 * only when it changed ({@link ParsedClients}).
	 */
	@Bean
	RegisteredClientRepository registeredClientRepository(JdbcOperations jdbc) {
		return new ParsedClients(jdbc);
	}

	@Bean
	ClientSecrets clientSecrets() {
		return new ClientSecrets();
	}

	@Bean
	OidcClients oidcClients(RegisteredClientRepository repository, JdbcClient jdbc, ClientSecrets secrets,
			AuditLog audit, Clock clock, TransactionOperations tx) {
		return new OidcClients(repository, jdbc, secrets, audit, clock, tx);
	}
}
