package dev.plinto.oidc;

import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.ErrorPages;
import dev.plinto.pages.FormActionOrigins;
import dev.plinto.session.SessionRepository;
import dev.plinto.session.SessionRevocations;
import dev.plinto.session.SessionService;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.token.SigningKeys;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/**
 * The OpenID provider's parts for the server: where authorizations and consents are stored (Spring Authorization
 * Server's JDBC services on the V10 tables, tokens hashed by {@link HashedTokens}), its endpoints' paths with
 * Plinto's issuer and JWKS, and the tokens' claims ({@link ProviderTokens}). The security filter chain that serves
 * them is composed in {@code security.WebSecurityConfiguration} from {@link OidcEndpoints}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class OidcConfiguration {

	/**
	 * The issuer is {@code PLINTO_ISSUER}, the same as the JSON API's tokens; the JWKS is the one Plinto already
	 * publishes ({@code /.well-known/jwks.json}), so discovery's {@code jwks_uri} names it and there is one key set.
	 * The other endpoints keep Spring Authorization Server's paths (docs/oidc.md).
	 */
	@Bean
	AuthorizationServerSettings authorizationServerSettings(PlintoSettings settings) {
		return AuthorizationServerSettings.builder()
			.issuer(settings.baseUrl())
			.jwkSetEndpoint("/.well-known/jwks.json")
			.build();
	}

	@Bean
	OAuth2AuthorizationService oauth2AuthorizationService(JdbcOperations jdbc, RegisteredClientRepository clients) {
		return new HashedTokens(new JdbcOAuth2AuthorizationService(jdbc, clients));
	}

	@Bean
	OAuth2AuthorizationConsentService oauth2AuthorizationConsentService(JdbcOperations jdbc,
			RegisteredClientRepository clients, AuditLog audit) {
		return new AuditedConsents(new JdbcOAuth2AuthorizationConsentService(jdbc, clients), clients, audit);
	}

	@Bean
	ProviderTokens providerTokens(SessionRepository sessions, SessionRevocations revocations, UserRepository users,
			AuditLog audit, PlintoSettings settings, Clock clock) {
		return new ProviderTokens(sessions, revocations, users, audit, settings, clock);
	}

	/** The clients' redirect origins a sign-in page for an authorization request may lead to (its CSP). */
	@Bean
	FormActionOrigins authorizationRequestOrigins(AuthorizationServerSettings serverSettings,
			RegisteredClientRepository clients) {
		return new AuthorizationRequestOrigins(serverSettings, clients);
	}

	@Bean
	OidcEndpoints oidcEndpoints(AuthorizationServerSettings serverSettings, RegisteredClientRepository clients,
			OAuth2AuthorizationService authorizations, OAuth2AuthorizationConsentService consents,
			ProviderTokens tokens, SigningKeys keys, ErrorPages errors, SessionService sessions,
			BrowserSessions browser, RateLimiter limiter, AuditLog audit, PlintoSettings settings) {
		return new OidcEndpoints(serverSettings, clients, authorizations, consents, tokens, keys, errors, sessions,
				browser, new DeviceGrant(serverSettings, clients, authorizations, limiter), audit, settings);
	}
}
