package dev.plinto.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.config.FederationSettings;
import dev.plinto.config.FederationSettings.ClaimMapping;
import dev.plinto.config.FederationSettings.Provider;
import dev.plinto.crypto.SecureTokens;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationProvider;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The OAuth 2 and OpenID Connect client of social and enterprise sign-in, on Spring Security's OAuth 2 client: the
 * authorization request, the code exchange, the ID token's verification and UserInfo are the library's; this class
 * turns a configured provider (or an organization's OpenID Connect connection) into a {@link ClientRegistration},
 * and the verified answer into the claims Plinto keeps.
 * <p>
 * Every authorization request carries a single-use {@code state} (RFC 6749 §10.12, CSRF against the callback),
 * PKCE with {@code S256} (RFC 7636 §4.2; RFC 9700 §2.1.1 asks for it with every client) and, for OpenID Connect, a
 * {@code nonce} (OpenID Connect Core §3.1.2.1, §15.5.2): the request carries the SHA-256 of a random value kept in
 * the flow, and {@link OidcAuthorizationCodeAuthenticationProvider} refuses an ID token whose {@code nonce} is not
 * that hash. The ID token is verified by {@link OidcIdTokenDecoderFactory} against the provider's JWKS (signature),
 * and by {@link OidcIdTokenValidator} for {@code iss}, {@code aud}, {@code azp}, {@code exp} and {@code iat}
 * (OpenID Connect Core §3.1.3.7). For Microsoft's multi-tenant endpoints, whose tokens name the user's tenant as
 * issuer, the issuer must be the tenant's own ({@code https://login.microsoftonline.com/{tid}/v2.0}, with
 * {@code tid} from the same token).
 */
@Component
final class OAuthClients {

	/** How long Apple's client secret JWT is valid (Apple allows up to six months; a short one is safer). */
	private static final Duration APPLE_SECRET_LIFETIME = Duration.ofMinutes(10);

	private final OidcAuthorizationCodeAuthenticationProvider oidc;

	private final OAuth2LoginAuthenticationProvider oauth2;

	private final RestClient http;

	private final Clock clock;

	private final Map<String, ClientRegistration.Builder> discovered = new ConcurrentHashMap<>();

	OAuthClients(Clock clock) {
		this.clock = clock;
		java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(java.net.http.HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
		factory.setReadTimeout(Duration.ofSeconds(10));
		this.http = RestClient.builder().requestFactory(factory).build();
		RestClientAuthorizationCodeTokenResponseClient tokens = new RestClientAuthorizationCodeTokenResponseClient();
		OidcIdTokenDecoderFactory idTokens = new OidcIdTokenDecoderFactory();
		idTokens.setJwtValidatorFactory(registration -> {
			OidcIdTokenValidator standard = new OidcIdTokenValidator(registration);
			if (registration.getProviderDetails().getIssuerUri() != null) {
				return standard;
			}
			return new DelegatingOAuth2TokenValidator<>(standard, OAuthClients::microsoftTenantIssuer);
		});
		this.oidc = new OidcAuthorizationCodeAuthenticationProvider(tokens, new OidcUserService());
		this.oidc.setJwtDecoderFactory(idTokens);
		this.oauth2 = new OAuth2LoginAuthenticationProvider(tokens, new DefaultOAuth2UserService());
	}

	/** Microsoft's multi-tenant issuer rule: {@code iss} is the issuer of the tenant {@code tid} names. */
	private static OAuth2TokenValidatorResult microsoftTenantIssuer(Jwt token) {
		String tid = token.getClaimAsString("tid");
		String iss = token.getClaimAsString("iss");
		if (tid != null && tid.matches("[0-9a-fA-F-]{36}")
				&& ("https://login.microsoftonline.com/" + tid + "/v2.0").equals(iss)) {
			return OAuth2TokenValidatorResult.success();
		}
		return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_id_token",
				"The ID token's issuer is not the issuer of its tenant", null));
	}

	/** What the client needs of a provider, social or an organization's connection. */
	record Client(String registrationId, Provider provider, String callbackUri) {
	}

	/** The registration of a provider for one request; discovery documents are fetched once and kept. */
	ClientRegistration registration(Client client) {
		Provider p = client.provider();
		ClientRegistration.Builder builder;
		if (p.oidc() && p.authorizationUri().isEmpty()) {
			String issuer = p.issuer().orElseThrow().toString();
			ClientRegistration template = discovered
				.computeIfAbsent(issuer, ClientRegistrations::fromIssuerLocation)
				.registrationId(client.registrationId())
				.clientId(p.clientId())
				.build();
			builder = ClientRegistration.withClientRegistration(template);
		}
		else {
			builder = ClientRegistration.withRegistrationId(client.registrationId())
				.authorizationUri(p.authorizationUri().orElseThrow().toString())
				.tokenUri(p.tokenUri().orElseThrow().toString())
				.clientAuthenticationMethod(p.formPost() || p.key().equals("linkedin")
						? ClientAuthenticationMethod.CLIENT_SECRET_POST : ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
			p.userInfoUri().ifPresent(u -> builder.userInfoUri(u.toString()));
			p.jwkSetUri().ifPresent(u -> builder.jwkSetUri(u.toString()));
			p.issuer().ifPresent(u -> builder.issuerUri(u.toString()));
		}
		builder.registrationId(client.registrationId())
			.clientId(p.clientId())
			.clientSecret(p.apple().map(k -> appleClientSecret(k, p.clientId())).orElse(p.clientSecret()))
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(client.callbackUri())
			.scope(p.scopes())
			.userNameAttributeName(p.oidc() ? "sub" : p.claims().subject());
		return builder.build();
	}

	/** The secrets of one authorization request, kept (sealed) in its flow until the callback. */
	record RequestSecrets(String codeVerifier, String nonce) {

		static RequestSecrets generate() {
			return new RequestSecrets(SecureTokens.newSecret(32), SecureTokens.newSecret(32));
		}

		String serialize() {
			return codeVerifier + " " + nonce;
		}

		static RequestSecrets parse(String text) {
			String[] parts = text.split(" ");
			return new RequestSecrets(parts[0], parts[1]);
		}
	}

	/** The authorization request, as Spring's client represents it for both the redirect and the callback. */
	OAuth2AuthorizationRequest authorizationRequest(ClientRegistration registration, Provider provider, String state,
			RequestSecrets secrets) {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(OAuth2ParameterNamesHolder.REGISTRATION_ID, registration.getRegistrationId());
		attributes.put(PkceParameterNames.CODE_VERIFIER, secrets.codeVerifier());
		Map<String, Object> parameters = new LinkedHashMap<>();
		parameters.put(PkceParameterNames.CODE_CHALLENGE, s256(secrets.codeVerifier()));
		parameters.put(PkceParameterNames.CODE_CHALLENGE_METHOD, "S256");
		if (provider.oidc()) {
			attributes.put(OidcParameterNames.NONCE, secrets.nonce());
			parameters.put(OidcParameterNames.NONCE, s256(secrets.nonce()));
		}
		if (provider.formPost()) {
			parameters.put("response_mode", "form_post");
		}
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(registration.getProviderDetails().getAuthorizationUri())
			.clientId(registration.getClientId())
			.redirectUri(registration.getRedirectUri())
			.scopes(registration.getScopes())
			.state(state)
			.attributes(attributes)
			.additionalParameters(parameters)
			.build();
	}

	/** Claims of the verified answer, named by the provider's mapping, with the access token for API look-ups. */
	record Answer(Map<String, Object> claims, String accessToken) {
	}

	/**
	 * Exchanges the code (with the PKCE verifier), verifies the ID token and reads UserInfo; throws
	 * {@link AuthenticationException} when anything does not verify (an error code, never a token, in its message).
	 */
	Answer complete(ClientRegistration registration, OAuth2AuthorizationRequest request, String code, String state) {
		OAuth2AuthorizationResponse response = OAuth2AuthorizationResponse.success(code)
			.state(state)
			.redirectUri(registration.getRedirectUri())
			.build();
		OAuth2LoginAuthenticationToken token = new OAuth2LoginAuthenticationToken(registration,
				new OAuth2AuthorizationExchange(request, response));
		OAuth2LoginAuthenticationToken done = (OAuth2LoginAuthenticationToken) (oidc(registration)
				? oidc.authenticate(token) : oauth2.authenticate(token));
		OAuth2User user = done.getPrincipal();
		return new Answer(Map.copyOf(user.getAttributes()), done.getAccessToken().getTokenValue());
	}

	/** OpenID Connect: a provider with an issuer whose ID tokens are verified, asked for the openid scope. */
	private static boolean oidc(ClientRegistration registration) {
		return registration.getScopes().contains("openid")
				&& registration.getProviderDetails().getJwkSetUri() != null;
	}

	/** One entry of a GitHub-style list of the user's addresses ({@code GET /user/emails}). */
	record ListedEmail(String email, Boolean primary, Boolean verified) {
	}

	/**
	 * The verified primary address from a GitHub-style address list, else any verified one; empty when none is
	 * verified (an unverified address is never used, so it cannot link to an existing account).
	 */
	Optional<String> verifiedEmail(URI emailsUri, String accessToken) {
		try {
			List<ListedEmail> emails = http.get()
				.uri(emailsUri)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
				.header(HttpHeaders.USER_AGENT, "Plinto")
				.accept(MediaType.APPLICATION_JSON)
				.retrieve()
				.body(new ParameterizedTypeReference<List<ListedEmail>>() {
				});
			if (emails == null) {
				return Optional.empty();
			}
			return emails.stream()
				.filter(e -> Boolean.TRUE.equals(e.verified()) && e.email() != null)
				.sorted((a, b) -> Boolean.compare(Boolean.TRUE.equals(b.primary()), Boolean.TRUE.equals(a.primary())))
				.map(ListedEmail::email)
				.findFirst();
		}
		catch (RestClientException e) {
			return Optional.empty();
		}
	}

	/** A claim as text, whatever JSON type the provider used. */
	static String text(Map<String, Object> claims, String name) {
		if (name == null) {
			return null;
		}
		Object v = claims.get(name);
		if (v == null) {
			return null;
		}
		String s = v.toString();
		return s.isBlank() ? null : s;
	}

	/** A boolean claim that some providers (Apple) send as the string "true". */
	static boolean flag(Map<String, Object> claims, String name) {
		if (name == null) {
			return false;
		}
		Object v = claims.get(name);
		return Boolean.TRUE.equals(v) || "true".equals(v);
	}

	/** The profile kept for the account page: name, username and picture by the provider's mapping. */
	static Map<String, String> profile(Map<String, Object> claims, ClaimMapping mapping, String name) {
		Map<String, String> profile = new LinkedHashMap<>();
		if (name != null) {
			profile.put("name", name);
		}
		Optional.ofNullable(text(claims, mapping.username())).ifPresent(v -> profile.put("username", v));
		Optional.ofNullable(text(claims, mapping.picture()))
			.filter(v -> v.startsWith("https://"))
			.ifPresent(v -> profile.put("picture", v));
		return profile;
	}

	/**
	 * Apple's client secret: a JWT signed with the team's key (ES256), issued by the team to Apple's audience for
	 * the Services ID (Sign in with Apple REST API, "Creating a client secret").
	 */
	private String appleClientSecret(FederationSettings.AppleKey key, String clientId) {
		try {
			ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key.privateKeyPkcs8Base64())));
			Instant now = clock.instant();
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.keyId()).build(),
					new JWTClaimsSet.Builder().issuer(key.teamId())
						.issueTime(Date.from(now))
						.expirationTime(Date.from(now.plus(APPLE_SECRET_LIFETIME)))
						.audience("https://appleid.apple.com")
						.subject(clientId)
						.build());
			jwt.sign(new ECDSASigner(privateKey));
			return jwt.serialize();
		}
		catch (java.security.GeneralSecurityException | JOSEException e) {
			throw new IllegalStateException("cannot sign Apple's client secret", e);
		}
	}

	static String s256(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The attribute name Spring's client uses for the registration id of a request. */
	private static final class OAuth2ParameterNamesHolder {

		static final String REGISTRATION_ID = "registration_id";
	}
}
