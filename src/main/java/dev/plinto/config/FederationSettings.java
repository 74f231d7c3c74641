package dev.plinto.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Sign-in through identity providers (docs/federation.md, docs/configuration.md): the providers that are switched on
 * and whether a first sign-in may create an account ({@code PLINTO_OAUTH_SIGN_UP}, default true).
 * <p>
 * A preset is switched on by its client id and secret: {@code PLINTO_OAUTH_GOOGLE_CLIENT_ID} and
 * {@code PLINTO_OAUTH_GOOGLE_CLIENT_SECRET}, {@code PLINTO_OAUTH_GITHUB_CLIENT_ID} and
 * {@code PLINTO_OAUTH_GITHUB_CLIENT_SECRET}, {@code PLINTO_OAUTH_MICROSOFT_CLIENT_ID} and
 * {@code PLINTO_OAUTH_MICROSOFT_CLIENT_SECRET} (with {@code PLINTO_OAUTH_MICROSOFT_TENANT}, default {@code common}),
 * {@code PLINTO_OAUTH_GITLAB_CLIENT_ID} and {@code PLINTO_OAUTH_GITLAB_CLIENT_SECRET},
 * {@code PLINTO_OAUTH_DISCORD_CLIENT_ID} and {@code PLINTO_OAUTH_DISCORD_CLIENT_SECRET},
 * {@code PLINTO_OAUTH_LINKEDIN_CLIENT_ID} and {@code PLINTO_OAUTH_LINKEDIN_CLIENT_SECRET}; Apple by
 * {@code PLINTO_OAUTH_APPLE_CLIENT_ID} (the Services ID), {@code PLINTO_OAUTH_APPLE_TEAM_ID},
 * {@code PLINTO_OAUTH_APPLE_KEY_ID} and {@code PLINTO_OAUTH_APPLE_PRIVATE_KEY} (the .p8 key that signs the client
 * secret JWT). Other providers are listed in {@code PLINTO_OAUTH_PROVIDERS} and each described by variables named
 * {@code PLINTO_OAUTH_} + its key in upper case + a suffix: {@code _CLIENT_ID}, {@code _CLIENT_SECRET},
 * {@code _NAME}, and either {@code _ISSUER} (OpenID Connect discovery) or {@code _AUTHORIZATION_URI},
 * {@code _TOKEN_URI} and {@code _USERINFO_URI} (plain OAuth 2), plus {@code _EMAILS_URI}, {@code _SCOPES} and the
 * claim mapping {@code _CLAIM_SUBJECT}, {@code _CLAIM_EMAIL}, {@code _CLAIM_EMAIL_VERIFIED}, {@code _CLAIM_NAME}.
 */
public record FederationSettings(boolean signUp, List<Provider> providers) {

	/** A provider key: lower-case letters, digits and dashes, as in {@code /sso/{key}/start}. */
	public static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]{0,39}");

	/** The presets, in the order of the sign-in page's buttons. */
	public static final List<String> PRESETS = List.of("google", "apple", "microsoft", "github", "gitlab", "discord",
			"linkedin");

	/** Which claims of the ID token or UserInfo (or the provider's user API) hold what Plinto keeps. */
	public record ClaimMapping(String subject, String email, String emailVerified, String name, String username,
			String picture) {

		static final ClaimMapping OIDC = new ClaimMapping("sub", "email", "email_verified", "name",
				"preferred_username", "picture");
	}

	/** Apple's client secret is a JWT signed with a private key of the team (ES256). */
	public record AppleKey(String teamId, String keyId, String privateKeyPkcs8Base64) {

		@Override
		public String toString() {
			return "AppleKey[teamId=" + teamId + ", keyId=" + keyId + "]"; // never the key
		}
	}

	/**
	 * One identity provider. {@code oidc} providers have an {@code issuer}; their endpoints are either given (the
	 * presets) or discovered from the issuer on first use (OpenID Connect Discovery 1.0). Plain OAuth 2 providers
	 * have the authorization, token and user endpoints. {@code emailsUri} is a GitHub-style list of the user's
	 * addresses, the only source of a verified email for such providers.
	 */
	public record Provider(String key, String name, boolean oidc, String clientId, String clientSecret,
			Optional<URI> issuer, Optional<URI> authorizationUri, Optional<URI> tokenUri, Optional<URI> userInfoUri,
			Optional<URI> jwkSetUri, Optional<URI> emailsUri, List<String> scopes, ClaimMapping claims,
			boolean formPost, Optional<AppleKey> apple, boolean microsoftMultiTenant) {

		@Override
		public String toString() {
			return "Provider[" + key + ", clientId=" + clientId + "]"; // never the secret
		}
	}

	public Optional<Provider> provider(String key) {
		return providers.stream().filter(p -> p.key().equals(key)).findFirst();
	}

	/**
	 * Reads the variables; each problem is added to {@code problems} as one sentence naming the variable.
	 */
	static FederationSettings parse(Function<String, String> lookup, List<String> problems) {
		Function<String, String> raw = name -> {
			String v = lookup.apply(name);
			return v == null || v.isBlank() ? null : v.trim();
		};
		String signUpValue = raw.apply("PLINTO_OAUTH_SIGN_UP");
		boolean signUp = true;
		if (signUpValue != null) {
			if (signUpValue.equalsIgnoreCase("false")) {
				signUp = false;
			}
			else if (!signUpValue.equalsIgnoreCase("true")) {
				problems.add("PLINTO_OAUTH_SIGN_UP must be true or false, not '" + signUpValue + "'.");
			}
		}
		Map<String, Provider> providers = new LinkedHashMap<>();
		for (String preset : PRESETS) {
			preset(preset, raw, problems).ifPresent(p -> providers.put(p.key(), p));
		}
		String listed = raw.apply("PLINTO_OAUTH_PROVIDERS");
		if (listed != null) {
			for (String key : listed.split("[,\\s]+")) {
				if (key.isEmpty()) {
					continue;
				}
				if (!KEY.matcher(key).matches()) {
					problems.add("PLINTO_OAUTH_PROVIDERS: '" + key + "' is not a provider key (lower-case letters, "
							+ "digits and dashes, starting with a letter).");
					continue;
				}
				if (PRESETS.contains(key) || providers.containsKey(key)) {
					problems.add("PLINTO_OAUTH_PROVIDERS: '" + key + "' is a preset or listed twice; configure a "
							+ "preset with its own variables only.");
					continue;
				}
				generic(key, raw, problems).ifPresent(p -> providers.put(p.key(), p));
			}
		}
		return new FederationSettings(signUp, List.copyOf(providers.values()));
	}

	private static String prefix(String key) {
		return "PLINTO_OAUTH_" + key.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
	}

	private static Optional<Provider> preset(String key, Function<String, String> raw, List<String> problems) {
		String prefix = prefix(key);
		String clientId = raw.apply(prefix + "CLIENT_ID");
		String secret = raw.apply(prefix + "CLIENT_SECRET");
		if (key.equals("apple")) {
			return apple(clientId, raw, problems);
		}
		if (clientId == null && secret == null) {
			return Optional.empty();
		}
		if (clientId == null || secret == null) {
			problems.add(prefix + "CLIENT_ID and " + prefix + "CLIENT_SECRET go together: set both to switch on "
					+ key + ", or neither.");
			return Optional.empty();
		}
		ClaimMapping oidc = ClaimMapping.OIDC;
		return Optional.of(switch (key) {
			case "google" -> new Provider(key, "Google", true, clientId, secret,
					uri("https://accounts.google.com"), uri("https://accounts.google.com/o/oauth2/v2/auth"),
					uri("https://oauth2.googleapis.com/token"),
					uri("https://openidconnect.googleapis.com/v1/userinfo"),
					uri("https://www.googleapis.com/oauth2/v3/certs"), Optional.empty(),
					List.of("openid", "email", "profile"), oidc, false, Optional.empty(), false);
			case "microsoft" -> {
				String tenant = Optional.ofNullable(raw.apply(prefix + "TENANT")).orElse("common");
				if (!tenant.matches("[A-Za-z0-9.-]{1,100}")) {
					problems.add(prefix + "TENANT must be common, organizations, consumers, a tenant id or a "
							+ "domain, not '" + tenant + "'.");
				}
				boolean multi = List.of("common", "organizations", "consumers").contains(tenant);
				String base = "https://login.microsoftonline.com/" + tenant;
				// Microsoft signs the email claim without verifying it for every account type: never verified here.
				yield new Provider(key, "Microsoft", true, clientId, secret,
						multi ? Optional.empty() : uri(base + "/v2.0"), uri(base + "/oauth2/v2.0/authorize"),
						uri(base + "/oauth2/v2.0/token"), uri("https://graph.microsoft.com/oidc/userinfo"),
						uri(base + "/discovery/v2.0/keys"), Optional.empty(), List.of("openid", "email", "profile"),
						new ClaimMapping("sub", "email", null, "name", "preferred_username", null), false,
						Optional.empty(), multi);
			}
			case "gitlab" -> new Provider(key, "GitLab", true, clientId, secret, uri("https://gitlab.com"),
					uri("https://gitlab.com/oauth/authorize"), uri("https://gitlab.com/oauth/token"),
					uri("https://gitlab.com/oauth/userinfo"), uri("https://gitlab.com/oauth/discovery/keys"),
					Optional.empty(), List.of("openid", "email", "profile"),
					new ClaimMapping("sub", "email", "email_verified", "name", "nickname", "picture"), false,
					Optional.empty(), false);
			case "linkedin" -> new Provider(key, "LinkedIn", true, clientId, secret,
					uri("https://www.linkedin.com/oauth"), uri("https://www.linkedin.com/oauth/v2/authorization"),
					uri("https://www.linkedin.com/oauth/v2/accessToken"), uri("https://api.linkedin.com/v2/userinfo"),
					uri("https://www.linkedin.com/oauth/openid/jwks"), Optional.empty(),
					List.of("openid", "email", "profile"), oidc, false, Optional.empty(), false);
			case "github" -> new Provider(key, "GitHub", false, clientId, secret, Optional.empty(),
					uri("https://github.com/login/oauth/authorize"), uri("https://github.com/login/oauth/access_token"),
					uri("https://api.github.com/user"), Optional.empty(), uri("https://api.github.com/user/emails"),
					List.of("read:user", "user:email"),
					new ClaimMapping("id", null, null, "name", "login", "avatar_url"), false, Optional.empty(), false);
			case "discord" -> new Provider(key, "Discord", false, clientId, secret, Optional.empty(),
					uri("https://discord.com/oauth2/authorize"), uri("https://discord.com/api/oauth2/token"),
					uri("https://discord.com/api/users/@me"), Optional.empty(), Optional.empty(),
					List.of("identify", "email"),
					new ClaimMapping("id", "email", "verified", "global_name", "username", null), false,
					Optional.empty(), false);
			default -> throw new IllegalStateException(key);
		});
	}

	private static Optional<Provider> apple(String clientId, Function<String, String> raw, List<String> problems) {
		String team = raw.apply("PLINTO_OAUTH_APPLE_TEAM_ID");
		String keyId = raw.apply("PLINTO_OAUTH_APPLE_KEY_ID");
		String pem = raw.apply("PLINTO_OAUTH_APPLE_PRIVATE_KEY");
		if (clientId == null && team == null && keyId == null && pem == null) {
			return Optional.empty();
		}
		if (clientId == null || team == null || keyId == null || pem == null) {
			problems.add("PLINTO_OAUTH_APPLE_CLIENT_ID, PLINTO_OAUTH_APPLE_TEAM_ID, PLINTO_OAUTH_APPLE_KEY_ID and "
					+ "PLINTO_OAUTH_APPLE_PRIVATE_KEY go together: set all four to switch on Apple, or none.");
			return Optional.empty();
		}
		String base64 = pem.replace("\\n", "\n")
			.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
			.replaceAll("\\s", "");
		try {
			KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
		}
		catch (Exception e) {
			problems.add("PLINTO_OAUTH_APPLE_PRIVATE_KEY must be the contents of the .p8 file Apple issued (an EC "
					+ "private key in PEM, PKCS #8).");
			return Optional.empty();
		}
		// Apple sends the name and email only with response_mode=form_post (Sign in with Apple REST API).
		return Optional.of(new Provider("apple", "Apple", true, clientId, null, uri("https://appleid.apple.com"),
				uri("https://appleid.apple.com/auth/authorize"), uri("https://appleid.apple.com/auth/token"),
				Optional.empty(), uri("https://appleid.apple.com/auth/keys"), Optional.empty(),
				List.of("openid", "name", "email"),
				new ClaimMapping("sub", "email", "email_verified", null, null, null), true,
				Optional.of(new AppleKey(team, keyId, base64)), false));
	}

	private static Optional<Provider> generic(String key, Function<String, String> raw, List<String> problems) {
		String prefix = prefix(key);
		String clientId = raw.apply(prefix + "CLIENT_ID");
		String secret = raw.apply(prefix + "CLIENT_SECRET");
		if (clientId == null || secret == null) {
			problems.add(prefix + "CLIENT_ID and " + prefix + "CLIENT_SECRET are required for the provider '" + key
					+ "' of PLINTO_OAUTH_PROVIDERS.");
			return Optional.empty();
		}
		String name = Optional.ofNullable(raw.apply(prefix + "NAME")).orElse(key);
		Optional<URI> issuer = url(prefix + "ISSUER", raw, problems);
		Optional<URI> authorization = url(prefix + "AUTHORIZATION_URI", raw, problems);
		Optional<URI> token = url(prefix + "TOKEN_URI", raw, problems);
		Optional<URI> userInfo = url(prefix + "USERINFO_URI", raw, problems);
		Optional<URI> emails = url(prefix + "EMAILS_URI", raw, problems);
		boolean oidc = issuer.isPresent();
		if (!oidc && (authorization.isEmpty() || token.isEmpty() || userInfo.isEmpty())) {
			problems.add("The provider '" + key + "' needs " + prefix + "ISSUER (OpenID Connect) or all of "
					+ prefix + "AUTHORIZATION_URI, " + prefix + "TOKEN_URI and " + prefix + "USERINFO_URI (OAuth 2).");
			return Optional.empty();
		}
		if (oidc && (authorization.isPresent() || token.isPresent())) {
			problems.add("The provider '" + key + "' has " + prefix + "ISSUER: its endpoints come from discovery, "
					+ "so leave out " + prefix + "AUTHORIZATION_URI and " + prefix + "TOKEN_URI.");
			return Optional.empty();
		}
		String scopes = raw.apply(prefix + "SCOPES");
		List<String> scopeList = scopes != null ? List.of(scopes.split("[,\\s]+"))
				: oidc ? List.of("openid", "email", "profile") : List.of();
		if (oidc && !scopeList.contains("openid")) {
			List<String> withOpenId = new ArrayList<>(scopeList);
			withOpenId.add(0, "openid");
			scopeList = List.copyOf(withOpenId);
		}
		ClaimMapping defaults = ClaimMapping.OIDC;
		ClaimMapping claims = new ClaimMapping(
				Optional.ofNullable(raw.apply(prefix + "CLAIM_SUBJECT")).orElse(defaults.subject()),
				Optional.ofNullable(raw.apply(prefix + "CLAIM_EMAIL")).orElse(defaults.email()),
				Optional.ofNullable(raw.apply(prefix + "CLAIM_EMAIL_VERIFIED")).orElse(defaults.emailVerified()),
				Optional.ofNullable(raw.apply(prefix + "CLAIM_NAME")).orElse(defaults.name()),
				defaults.username(), defaults.picture());
		return Optional.of(new Provider(key, name, oidc, clientId, secret, issuer, authorization, token, userInfo,
				Optional.empty(), emails, scopeList, claims, false, Optional.empty(), false));
	}

	private static Optional<URI> url(String name, Function<String, String> raw, List<String> problems) {
		String v = raw.apply(name);
		if (v == null) {
			return Optional.empty();
		}
		try {
			URI u = new URI(v);
			if (("https".equals(u.getScheme()) || "http".equals(u.getScheme())) && u.getHost() != null) {
				return Optional.of(u);
			}
		}
		catch (URISyntaxException e) {
			// reported below
		}
		problems.add(name + " must be an http(s) URL, not '" + v + "'.");
		return Optional.empty();
	}

	private static Optional<URI> uri(String value) {
		return Optional.of(URI.create(value));
	}
}
