package dev.plinto.oidc;

import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.ErrorPages;
import dev.plinto.session.ActiveOrganizationClaims;
import dev.plinto.session.SecondFactors;
import dev.plinto.pages.FormActionOrigins;
import dev.plinto.session.SessionRepository;
import dev.plinto.session.SessionRevocations;
import dev.plinto.session.SessionService;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.token.SigningKeys;
import dev.plinto.webhook.EndpointAddresses;
import java.time.Clock;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.core.env.Environment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.jackson.SecurityJacksonModules;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

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
	OAuth2AuthorizationService oauth2AuthorizationService(JdbcOperations jdbc, RegisteredClientRepository clients,
			SigningKeys keys, PlintoSettings settings) {
		JdbcOAuth2AuthorizationService store = new JdbcOAuth2AuthorizationService(jdbc, clients);
		JsonMapper json = storedAuthorizationJson();
		store.setAuthorizationRowMapper(new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(
				clients, json));
		store.setAuthorizationParametersMapper(
				new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
		return new ClientCredentialsTokens(new HashedTokens(store), clients,
				OidcEndpoints.accessTokenDecoder(keys, settings));
	}

	/**
	 * How an authorization's attributes and its tokens' claims are stored: the library's own JSON (Spring Security's
	 * Jackson modules, whose type validator admits only the types it names), which also admits the JSON numbers a
	 * claim may hold beyond {@code int}: {@code Long}, {@code BigInteger} and {@code BigDecimal}, exactly these
	 * classes and no subclass. The {@code public_metadata} claim of an ID token ({@code PLINTO_TOKEN_PUBLIC_METADATA})
	 * carries what the backend stored, and a refresh reads the stored ID token back. Value classes only: no class that
	 * runs code when it is built is admitted (OWASP Deserialization Cheat Sheet, "Java": allow-list the types).
	 */
	static JsonMapper storedAuthorizationJson() {
		BasicPolymorphicTypeValidator.Builder types = BasicPolymorphicTypeValidator.builder()
			.allowIfSubType((context, type) -> type == Long.class || type == java.math.BigInteger.class
					|| type == java.math.BigDecimal.class);
		return JsonMapper.builder()
			.addModules(SecurityJacksonModules.getModules(OidcConfiguration.class.getClassLoader(), types))
			.build();
	}

	@Bean
	OAuth2AuthorizationConsentService oauth2AuthorizationConsentService(JdbcOperations jdbc,
			RegisteredClientRepository clients, AuditLog audit) {
		return new AuditedConsents(new JdbcOAuth2AuthorizationConsentService(jdbc, clients), clients, audit);
	}

	@Bean
	ProviderTokens providerTokens(SessionRepository sessions, SessionRevocations revocations, UserRepository users,
			AuditLog audit, PlintoSettings settings, Clock clock, ActiveOrganizationClaims organizations,
			SessionClients sessionClients) {
		return new ProviderTokens(sessions, revocations, users, audit, settings, clock, organizations,
				sessionClients);
	}

	@Bean
	SessionClients oidcSessionClients(JdbcClient jdbc, Clock clock) {
		return new SessionClients(jdbc, clock);
	}

	/**
	 * The provider's tokens: JWTs (ID and access tokens) signed by Plinto's keys with {@link ProviderTokens}' claims,
	 * and refresh tokens as {@link OfflineAccess} allows them. The library uses this bean instead of composing its
	 * own generator.
	 */
	@Bean
	OAuth2TokenGenerator<OAuth2Token> oauth2TokenGenerator(JwtEncoder encoder, ProviderTokens tokens) {
		JwtGenerator jwts = new JwtGenerator(encoder);
		jwts.setJwtCustomizer(tokens);
		return new DelegatingOAuth2TokenGenerator(jwts, new OAuth2AccessTokenGenerator(), new OfflineAccess());
	}

	@Bean
	AuthenticationRequests oidcAuthenticationRequests(SecondFactors secondFactors, Clock clock) {
		return new AuthenticationRequests(secondFactors, clock);
	}

	@Bean
	RefreshTokenReuse oidcRefreshTokenReuse(JdbcClient jdbc, OAuth2AuthorizationService authorizations,
			SessionService sessions, AuditLog audit, PlintoSettings settings, Clock clock) {
		return new RefreshTokenReuse(jdbc, authorizations, sessions, audit, settings, clock);
	}

	@Bean
	BackchannelLogout oidcBackchannelLogout(SessionClients sessionClients, RegisteredClientRepository clients,
			JwtEncoder encoder, EndpointAddresses addresses, PlintoSettings settings, Clock clock) {
		return new BackchannelLogout(sessionClients, clients, encoder, addresses, settings, clock);
	}

	/** The account page's connected apps: the user's consents, with "Revoke access". */
	@Bean
	AccountConsents accountConsents(JdbcClient jdbc, RegisteredClientRepository clients, AuditLog audit,
			TransactionOperations tx) {
		return new AccountConsents(jdbc, clients, audit, tx);
	}

	/** Dynamic client registration, off unless {@code PLINTO_OIDC_REGISTRATION=true}. */
	@Bean
	ClientRegistration clientRegistration(Environment environment) {
		return ClientRegistration.from(environment);
	}

	@Bean
	ClientAssertions clientAssertions(JdbcClient jdbc, AuthorizationServerSettings serverSettings) {
		return new ClientAssertions(jdbc, serverSettings);
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
			BrowserSessions browser, ClientAssertions assertions, ClientRegistration registration,
			AuthenticationRequests requests, RefreshTokenReuse reuse, RateLimiter limiter, AuditLog audit,
			PlintoSettings settings) {
		return new OidcEndpoints(serverSettings, clients, authorizations, consents, tokens, keys, errors, sessions,
				browser, assertions, registration, requests, reuse,
				new DeviceGrant(serverSettings, clients, authorizations, limiter), audit, settings);
	}
}
