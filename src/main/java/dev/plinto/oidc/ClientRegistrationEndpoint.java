package dev.plinto.oidc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dynamic client registration (RFC 7591 §3), when {@code PLINTO_OIDC_REGISTRATION=true}: a JSON document of client
 * metadata, sent with the initial access token as a bearer token ({@link ClientRegistration}), becomes a client by
 * the same rules as {@code plinto clients create} ({@link OidcClients}: redirect URIs, grants, scopes, keys, hashed
 * secret shown once), audited as {@code oidc.client.created} with the caller's address. A registered client is never
 * first-party (its users are asked for consent) and always uses PKCE. Answers as RFC 7591 says: 201 with the client's
 * metadata and credentials ({@code Cache-Control: no-store}), 400 {@code invalid_redirect_uri} or
 * {@code invalid_client_metadata} with a sentence, 401 {@code invalid_token} (RFC 6750 §3.1) without the right token.
 * Switched off, the endpoint does not exist (404) and discovery does not name it.
 * <p>
 * The metadata read: {@code client_name} (required), {@code redirect_uris}, {@code post_logout_redirect_uris},
 * {@code grant_types} (default {@code authorization_code}), {@code response_types} (only {@code code}),
 * {@code token_endpoint_auth_method} ({@code client_secret_basic} by default, {@code client_secret_post},
 * {@code private_key_jwt} with {@code jwks_uri} or {@code jwks}, {@code none} for a public client), {@code scope},
 * {@code logo_uri}. Other members are ignored (RFC 7591 §2). Reading or changing a client afterwards (RFC 7592) is
 * not offered: that is the operator's, with the command line.
 */
@RestController
@Hidden
final class ClientRegistrationEndpoint {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ClientRegistration registration;

	private final OidcClients clients;

	ClientRegistrationEndpoint(ClientRegistration registration, OidcClients clients) {
		this.registration = registration;
		this.clients = clients;
	}

	/** The answer to a registration: the client's metadata and credentials (RFC 7591 §3.2.1). */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Registered(@JsonProperty("client_id") String clientId,
			@JsonProperty("client_secret") String clientSecret,
			@JsonProperty("client_id_issued_at") long clientIdIssuedAt,
			@JsonProperty("client_secret_expires_at") Long clientSecretExpiresAt,
			@JsonProperty("client_name") String clientName,
			@JsonProperty("redirect_uris") List<String> redirectUris,
			@JsonProperty("post_logout_redirect_uris") List<String> postLogoutRedirectUris,
			@JsonProperty("grant_types") List<String> grantTypes,
			@JsonProperty("response_types") List<String> responseTypes,
			@JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
			@JsonProperty("scope") String scope, @JsonProperty("logo_uri") String logoUri,
			@JsonProperty("jwks_uri") String jwksUri, @JsonProperty("jwks") JsonNode jwks) {
	}

	/** An error of RFC 7591 §3.2.2 or RFC 6750 §3.1. */
	record Error(@JsonProperty("error") String error, @JsonProperty("error_description") String description) {
	}

	@PostMapping(ClientRegistration.PATH)
	ResponseEntity<?> register(@RequestBody(required = false) String body, HttpServletRequest request) {
		if (!registration.enabled()) {
			throw new ApiException(ErrorCode.NOT_FOUND, "Dynamic client registration is switched off.");
		}
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip()
				: null;
		if (!registration.accepts(token)) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.WWW_AUTHENTICATE, token == null ? "Bearer" : "Bearer error=\"invalid_token\"")
				.cacheControl(CacheControl.noStore())
				.body(new Error("invalid_token", "Registration needs the initial access token as a bearer token."));
		}
		JsonNode metadata;
		try {
			metadata = body == null ? null : JSON.readTree(body);
		}
		catch (JacksonException e) {
			metadata = null;
		}
		if (metadata == null || !metadata.isObject()) {
			return refused("invalid_client_metadata", "The body must be a JSON object of client metadata.");
		}
		OidcClients.Spec spec;
		try {
			spec = spec(metadata);
		}
		catch (IllegalArgumentException e) {
			return refused("invalid_client_metadata", e.getMessage());
		}
		OidcClients.Created created;
		try {
			created = clients.create(spec, new ClientInfo(request.getRemoteAddr(),
					request.getHeader(HttpHeaders.USER_AGENT)));
		}
		catch (IllegalArgumentException e) {
			return refused(e.getMessage().contains("redirect URI") ? "invalid_redirect_uri"
					: "invalid_client_metadata", e.getMessage());
		}
		OidcClients.Client c = created.client();
		String method = c.type() == OidcClients.Type.PUBLIC ? "none"
				: c.keys() != null ? "private_key_jwt" : text(metadata, "token_endpoint_auth_method",
						"client_secret_basic");
		JsonNode jwks = c.keys() != null && c.keys().jwks() != null ? JSON.readTree(c.keys().jwks()) : null;
		Registered answer = new Registered(c.clientId(), created.secret(), c.createdAt().getEpochSecond(),
				created.secret() == null ? null : 0L, c.name(), c.redirectUris(), c.postLogoutRedirectUris(),
				c.grants(), c.grants().contains("authorization_code") ? List.of("code") : List.of(), method,
				String.join(" ", c.scopes()), c.logoUri(), c.keys() == null ? null : c.keys().jwksUri(), jwks);
		return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
			.header("Pragma", "no-cache")
			.body(answer);
	}

	/** The client metadata as Plinto's registration of a client. */
	private static OidcClients.Spec spec(JsonNode m) {
		String method = text(m, "token_endpoint_auth_method", "client_secret_basic");
		OidcClients.Type type;
		OidcClients.ClientKeys keys = null;
		switch (method) {
			case "client_secret_basic", "client_secret_post" -> type = OidcClients.Type.CONFIDENTIAL;
			case "none" -> type = OidcClients.Type.PUBLIC;
			case "private_key_jwt" -> {
				type = OidcClients.Type.CONFIDENTIAL;
				JsonNode jwks = m.get("jwks");
				keys = new OidcClients.ClientKeys(text(m, "jwks_uri", null),
						jwks == null || jwks.isNull() ? null : jwks.toString());
			}
			default -> throw new IllegalArgumentException("token_endpoint_auth_method must be client_secret_basic, "
					+ "client_secret_post, private_key_jwt or none.");
		}
		if (keys == null && (m.has("jwks_uri") || m.has("jwks"))) {
			throw new IllegalArgumentException("jwks_uri and jwks are for token_endpoint_auth_method private_key_jwt.");
		}
		List<String> grants = strings(m, "grant_types");
		if (grants == null) {
			grants = List.of("authorization_code");
		}
		List<String> responseTypes = strings(m, "response_types");
		if (responseTypes != null && !responseTypes.isEmpty() && !responseTypes.equals(List.of("code"))) {
			throw new IllegalArgumentException("response_types may only be [\"code\"] (authorization code flow).");
		}
		String scope = text(m, "scope", null);
		Set<String> scopes = scope == null ? null
				: new LinkedHashSet<>(List.of(scope.strip().split(" +")).stream().filter(s -> !s.isEmpty()).toList());
		List<String> redirects = strings(m, "redirect_uris");
		List<String> logoutRedirects = strings(m, "post_logout_redirect_uris");
		return new OidcClients.Spec(text(m, "client_name", null), type, redirects == null ? List.of() : redirects,
				logoutRedirects == null ? List.of() : logoutRedirects, new LinkedHashSet<>(grants), scopes, false,
				true, text(m, "logo_uri", null), null, null, keys);
	}

	private static String text(JsonNode m, String field, String fallback) {
		JsonNode value = m.get(field);
		if (value == null || value.isNull()) {
			return fallback;
		}
		if (!value.isString()) {
			throw new IllegalArgumentException(field + " must be a string.");
		}
		return value.asString();
	}

	private static List<String> strings(JsonNode m, String field) {
		JsonNode value = m.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isArray()) {
			throw new IllegalArgumentException(field + " must be an array of strings.");
		}
		List<String> out = new ArrayList<>();
		for (JsonNode item : value) {
			if (!item.isString()) {
				throw new IllegalArgumentException(field + " must be an array of strings.");
			}
			out.add(item.asString());
		}
		return out;
	}

	private static ResponseEntity<Error> refused(String error, String description) {
		return ResponseEntity.badRequest().cacheControl(CacheControl.noStore()).body(new Error(error, description));
	}
}
