package dev.plinto.federation;

import dev.plinto.config.FederationSettings;
import dev.plinto.config.FederationSettings.ClaimMapping;
import dev.plinto.config.FederationSettings.Provider;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored flows of sign-in through an OAuth 2 or OpenID Connect provider (docs/federation.md), for social
 * providers and organizations' OpenID Connect connections, from the start to a verified {@link ExternalIdentity}.
 * <p>
 * <b>Start.</b> A flow gets a 256-bit {@code state}, stored only as its SHA-256 hash, and a PKCE code verifier and
 * a nonce, sealed with the master key in the flow ({@link OAuthClients}). A browser flow is also bound to the
 * browser that started it: the hash of a random value put into that browser's {@code HttpOnly} cookie is stored
 * with the flow (RFC 9700 §4.7.1: the state must be bound to the user agent, or an attacker can make a victim
 * complete the attacker's sign-in). A flow of the JSON API is bound to the app instead: the app keeps the flow id,
 * and the callback hands its browser a single-use code that only together with that flow id yields the sign-in.
 * <p>
 * <b>Callback.</b> The state finds the flow and is spent at once, whatever follows (a replayed state finds a spent
 * flow and is refused), then the browser binding is checked in constant time, and only then is the code exchanged.
 * Flows live {@link #FLOW_LIFETIME}; {@link FederationCleanupJob} deletes them.
 */
@Service
final class SsoFlows {

	private static final Logger log = LoggerFactory.getLogger(SsoFlows.class);

	static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);

	/** The prefix of the single-use codes that complete a flow of the JSON API. */
	static final String RESULT_CODE_PREFIX = "sso_";

	static final SealedColumn FLOW_SECRETS = new SealedColumn("federation_flows", "id", "secrets",
			"federation-flow:");

	/** The client secrets of organizations' OpenID Connect connections. */
	static final SealedColumn CONNECTION_SECRETS = new SealedColumn("organization_connections", "id",
			"oidc_client_secret", "connection-secret:");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Bean
	static SealedColumn federationFlowSecrets() {
		return FLOW_SECRETS;
	}

	@Bean
	static SealedColumn connectionClientSecrets() {
		return CONNECTION_SECRETS;
	}

	private final FederationFlowRepository flows;

	private final ConnectionRepository connections;

	private final OAuthClients clients;

	private final SecretBox box;

	private final RateLimiter rateLimiter;

	private final Clock clock;

	private final PlintoSettings settings;

	SsoFlows(FederationFlowRepository flows, ConnectionRepository connections, OAuthClients clients, SecretBox box,
			RateLimiter rateLimiter, Clock clock, PlintoSettings settings) {
		this.flows = flows;
		this.connections = connections;
		this.clients = clients;
		this.box = box;
		this.rateLimiter = rateLimiter;
		this.clock = clock;
		this.settings = settings;
	}

	/** A started flow: where to send the browser, and the cookie value binding it (null for the JSON API). */
	record Started(String flowId, URI authorizationUri, String browserSecret, Instant expiresAt) {
	}

	/** What the callback verified: the flow and the provider's identity. */
	record Verified(FederationFlow flow, ExternalIdentity identity) {
	}

	/**
	 * Starts a flow with a configured provider or, for {@code connection:<id>}, an organization's OpenID Connect
	 * connection; 404 {@code unknown_provider} when there is no such (enabled) one.
	 *
	 * @param redirectUrl where the flow returns afterwards; required (and allowed by the caller) for the JSON API
	 * @param linkUserId the signed-in user linking another account, for {@link FederationFlow.Type#LINK}
	 */
	Started start(String providerKey, FederationFlow.Type type, String redirectUrl, String linkUserId,
			ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN, client.ip());
		OAuthClients.Client target = client(providerKey);
		ClientRegistration registration = registration(target);
		String state = SecureTokens.newSecret();
		OAuthClients.RequestSecrets secrets = OAuthClients.RequestSecrets.generate();
		String browserSecret = type == FederationFlow.Type.API ? null : SecureTokens.newSecret();
		Instant now = clock.instant();
		String id = SecureTokens.newId("sso");
		FederationFlow flow = new FederationFlow(id, providerKey, type, SecureTokens.hash(state),
				box.seal(secrets.serialize(), FederationFlow.associatedData(id)),
				browserSecret == null ? null : SecureTokens.hash(browserSecret), redirectUrl, linkUserId, null, null,
				now, now.plus(FLOW_LIFETIME), null);
		flows.insert(flow);
		OAuth2AuthorizationRequest request = clients.authorizationRequest(registration, target.provider(), state,
				secrets);
		return new Started(id, URI.create(request.getAuthorizationRequestUri()), browserSecret, flow.expiresAt());
	}

	/**
	 * Completes the callback of a flow: finds it by state and spends it, checks the browser binding, exchanges the
	 * code and verifies the answer. 400 {@code invalid_sso_flow} for an unknown, expired, spent or foreign state;
	 * 401 {@code sso_failed} when the provider refused or its answer did not verify.
	 *
	 * @param browserSecret the value of the browser's flow cookie, or null
	 * @param appleUser Apple's {@code user} form field of a first sign-in (name and email as JSON), or null
	 */
	Verified callback(String providerKey, String state, String code, String error, String browserSecret,
			String appleUser, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN, client.ip());
		Instant now = clock.instant();
		Optional<FederationFlow> found = state == null || state.isEmpty() || state.length() > 200 ? Optional.empty()
				: flows.findByStateHash(SecureTokens.hash(state));
		FederationFlow flow = found.filter(f -> f.provider().equals(providerKey))
			.filter(f -> f.usedAt() == null && f.sealedSecrets() != null && f.expiresAt().isAfter(now))
			.orElseThrow(SsoFlows::invalidFlow);
		if (!flows.spend(flow.id(), now)) {
			throw invalidFlow();
		}
		if (flow.browserHash() != null && (browserSecret == null || browserSecret.isEmpty()
				|| !SecureTokens.constantTimeEquals(SecureTokens.hash(browserSecret), flow.browserHash()))) {
			throw invalidFlow();
		}
		if (error != null || code == null || code.isEmpty() || code.length() > 2048) {
			throw new ApiException(ErrorCode.SSO_FAILED, "The identity provider did not sign you in"
					+ (error == null ? "." : " (" + error.replaceAll("[^a-z_]", "") + ")."));
		}
		OAuthClients.Client target = client(providerKey);
		ClientRegistration registration = registration(target);
		OAuthClients.RequestSecrets secrets = OAuthClients.RequestSecrets
			.parse(box.open(flow.sealedSecrets(), FederationFlow.associatedData(flow.id())));
		OAuth2AuthorizationRequest request = clients.authorizationRequest(registration, target.provider(), state,
				secrets);
		OAuthClients.Answer answer;
		try {
			answer = clients.complete(registration, request, code, state);
		}
		catch (AuthenticationException | IllegalArgumentException | IllegalStateException e) {
			log.info("sign-in through {} refused: {}", providerKey, e.getMessage());
			throw new ApiException(ErrorCode.SSO_FAILED,
					"The identity provider's answer did not verify; start the sign-in again.");
		}
		catch (org.springframework.web.client.RestClientException e) {
			log.warn("sign-in through {}: the provider could not be reached: {}", providerKey, e.getClass().getName());
			throw new ApiException(ErrorCode.SSO_FAILED, "The identity provider could not be reached; try again.");
		}
		return new Verified(flow, identity(target, answer, appleUser));
	}

	/** Keeps the identity of a JSON API flow and returns the single-use code the app exchanges for the sign-in. */
	String hold(FederationFlow flow, ExternalIdentity identity) {
		String code = RESULT_CODE_PREFIX + SecureTokens.newSecret();
		flows.hold(flow.id(), JSON.writeValueAsString(identity), SecureTokens.hash(code));
		return code;
	}

	/**
	 * The identity behind a flow id and its single-use code (once, within the flow's lifetime); 400
	 * {@code invalid_sso_flow} otherwise.
	 */
	ExternalIdentity exchange(String flowId, String code, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_IN, client.ip());
		if (code == null || !code.startsWith(RESULT_CODE_PREFIX) || code.length() > 200 || flowId == null) {
			throw invalidFlow();
		}
		Instant now = clock.instant();
		FederationFlow flow = flows.take(flowId, SecureTokens.hash(code))
			.filter(f -> f.type() == FederationFlow.Type.API && f.expiresAt().isAfter(now))
			.orElseThrow(SsoFlows::invalidFlow);
		if (flow.identityJson() == null) {
			throw invalidFlow();
		}
		return JSON.readValue(flow.identityJson(), ExternalIdentity.class);
	}

	/** The providers a sign-in page offers, in button order. */
	List<Provider> providers() {
		return settings.federation().providers();
	}

	private OAuthClients.Client client(String providerKey) {
		if (providerKey != null && providerKey.startsWith("connection:")) {
			String connectionId = providerKey.substring("connection:".length());
			OrganizationConnection c = connections.findById(connectionId)
				.filter(OrganizationConnection::enabled)
				.filter(x -> x.type() == OrganizationConnection.Type.OIDC && x.oidcIssuer() != null
						&& x.oidcClientId() != null)
				.orElseThrow(SsoFlows::unknownProvider);
			String secret = c.oidcClientSecret() == null ? null
					: box.open(c.oidcClientSecret(), OrganizationConnection.secretAssociatedData(c.id()));
			Provider p = new Provider(providerKey, c.name(), true, c.oidcClientId(), secret,
					Optional.of(URI.create(c.oidcIssuer())), Optional.empty(), Optional.empty(), Optional.empty(),
					Optional.empty(), Optional.empty(), List.of("openid", "email", "profile"),
					new ClaimMapping("sub", mapped(c, "email", "email"), "email_verified", mapped(c, "name", "name"),
							"preferred_username", null),
					false, Optional.empty(), false);
			return new OAuthClients.Client(providerKey + ":" + c.updatedAt().toEpochMilli(), p,
					settings.baseUrl() + "/sso/connections/" + c.id() + "/callback");
		}
		Provider p = (providerKey == null ? Optional.<Provider>empty() : settings.federation().provider(providerKey))
			.orElseThrow(SsoFlows::unknownProvider);
		return new OAuthClients.Client(p.key(), p, settings.baseUrl() + "/sso/" + p.key() + "/callback");
	}

	private ClientRegistration registration(OAuthClients.Client target) {
		try {
			return clients.registration(target);
		}
		catch (RuntimeException e) {
			// discovery failed: the issuer is unreachable or its document is not OpenID Connect's
			log.warn("identity provider {} unavailable: {}", target.provider().key(), e.getMessage());
			throw new ApiException(ErrorCode.SSO_FAILED, "The identity provider could not be reached; try again.");
		}
	}

	/** The external identity of a verified answer, by the provider's claim mapping. */
	private ExternalIdentity identity(OAuthClients.Client target, OAuthClients.Answer answer, String appleUser) {
		Provider p = target.provider();
		ClaimMapping mapping = p.claims();
		Map<String, Object> claims = answer.claims();
		String subject = OAuthClients.text(claims, p.oidc() ? "sub" : mapping.subject());
		if (subject == null || subject.length() > ExternalIdentity.MAX_SUBJECT) {
			throw new ApiException(ErrorCode.SSO_FAILED, "The identity provider's answer names no account.");
		}
		String email = OAuthClients.text(claims, mapping.email());
		boolean verified = email != null && OAuthClients.flag(claims, mapping.emailVerified());
		if (p.emailsUri().isPresent()) {
			Optional<String> listed = clients.verifiedEmail(p.emailsUri().get(), answer.accessToken());
			if (listed.isPresent()) {
				email = listed.get();
				verified = true;
			}
		}
		String name = OAuthClients.text(claims, mapping.name());
		if (name == null && appleUser != null) {
			name = appleName(appleUser);
		}
		if (name != null && name.length() > 200) {
			name = name.substring(0, 200);
		}
		Map<String, String> profile = OAuthClients.profile(claims, mapping, name);
		if (!p.key().startsWith("connection:")) {
			return ExternalIdentity.social(p.key(), subject, email, verified, name, profile);
		}
		OrganizationConnection c = connections.findById(p.key().substring("connection:".length()))
			.orElseThrow(SsoFlows::unknownProvider);
		return new ExternalIdentity(p.key(), subject, email, verified, name, profile, c.id(), role(c, claims));
	}

	/**
	 * Apple sends the name only once, at the first sign-in, as the {@code user} form field of its callback
	 * ({@code {"name":{"firstName":…,"lastName":…},"email":…}}); it is not signed, so only the name is taken from it.
	 */
	private static String appleName(String appleUser) {
		try {
			JsonNode name = JSON.readTree(appleUser).path("name");
			String full = (name.path("firstName").asString("") + " " + name.path("lastName").asString("")).strip();
			return full.isEmpty() ? null : full;
		}
		catch (RuntimeException e) {
			return null;
		}
	}

	/** A claim name from the connection's attribute mapping ({@code {"email": "mail"}}), or the default. */
	private static String mapped(OrganizationConnection c, String field, String fallback) {
		JsonNode value = mapping(c).path(field);
		return value.isString() && !value.asString().isBlank() ? value.asString() : fallback;
	}

	private static JsonNode mapping(OrganizationConnection c) {
		try {
			return JSON.readTree(c.attributeMapping() == null ? "{}" : c.attributeMapping());
		}
		catch (RuntimeException e) {
			return JSON.createObjectNode();
		}
	}

	/**
	 * The organization role of a connection's user: the role the mapping's {@code roles} object gives the first of
	 * the user's groups (from the claim the mapping's {@code groups} names, default {@code groups}) that has one,
	 * else the connection's default role.
	 */
	static String role(OrganizationConnection c, Map<String, Object> claims) {
		JsonNode mapping = mapping(c);
		String groupsClaim = mapping.path("groups").isString() ? mapping.path("groups").asString() : "groups";
		JsonNode roles = mapping.path("roles");
		Object groups = claims.get(groupsClaim);
		if (roles.isObject() && groups != null) {
			Collection<?> list = groups instanceof Collection<?> col ? col : List.of(groups);
			Map<String, String> byGroup = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> e : roles.properties()) {
				if (e.getValue().isString()) {
					byGroup.put(e.getKey(), e.getValue().asString());
				}
			}
			for (Object group : list) {
				String role = byGroup.get(String.valueOf(group));
				if (role != null) {
					return role;
				}
			}
		}
		return c.defaultRole();
	}

	static ApiException invalidFlow() {
		return new ApiException(ErrorCode.INVALID_SSO_FLOW,
				"This sign-in attempt is unknown, expired or already used; start again.");
	}

	private static ApiException unknownProvider() {
		return new ApiException(ErrorCode.UNKNOWN_PROVIDER, "There is no such identity provider on this server.");
	}

	/** The providers of the settings, for pages and tests. */
	static List<String> keys(FederationSettings federation) {
		return federation.providers().stream().map(Provider::key).toList();
	}
}
