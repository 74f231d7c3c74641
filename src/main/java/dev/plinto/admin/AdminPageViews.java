package dev.plinto.admin;

import java.util.List;
import java.util.Map;

/**
 * The models of the dashboard's templates ({@code src/main/jte/admin}), public because the precompiled templates
 * live in another package. Plain values: the controllers fill them, the templates only print them.
 */
public final class AdminPageViews {

	private AdminPageViews() {
	}

	/** A section of the navigation: its path and the message key of its name. */
	public record Section(String path, String key) {
	}

	/**
	 * The frame of every page: the sections, the current one, and whether the administrator may post changes.
	 *
	 * @param current the path of the current section
	 * @param mayChange false for {@code support}, whose pages show no forms
	 * @param role the role's name, shown beside the navigation
	 */
	public record Frame(List<Section> sections, String current, boolean mayChange, String role) {
	}

	/**
	 * The overview: the numbers, the charts and the period's totals of sign-ins by method, failures by reason and
	 * sign-ups by method.
	 */
	public record Overview(DashboardStats.Overview numbers, DashboardChart activeUsers, DashboardChart signIns,
			DashboardChart newUsers, Map<String, Long> signInsByMethod, Map<String, Long> failuresByReason,
			Map<String, Long> signUpsByMethod) {
	}

	/** A signing key: its kid, algorithm, times and state ({@code active}, {@code upcoming}, {@code published}, {@code retired}). */
	/**
	 * A setting of the settings page: the value in the field (in effect, or as typed when refused), the value
	 * without an override, its source, when and by whom it was overridden, and the refusal's sentence.
	 */
	public record SettingRow(String name, String value, String environmentValue, String source, String updated,
			String updatedBy, String error) {
	}

	public record KeyRow(String kid, String algorithm, String created, String activates, String state) {
	}

	/** The audit page's filters as typed. */
	public record AuditFilter(String user, String type, String from, String to, String ip, String organization) {
	}

	/** An audit event as the audit page lists it; null fields are not known. */
	public record EventRow(String time, String type, String sentence, String userId, String actorId,
			String organizationId, String ip, String detail) {
	}

	/**
	 * A Backend API key as the dashboard lists it: never its secret, only its first characters.
	 *
	 * @param status {@code active}, {@code expired} or {@code revoked}
	 * @param lastUsed empty when never used
	 * @param expires empty when it never expires
	 */
	public record ApiKeyRow(String id, String name, String prefix, String status, List<String> scopes, String lastUsed,
			String expires, String created) {
	}

	/**
	 * The organizations page's create form as typed, shown again when it is refused: the name, the slug (blank:
	 * derived from the name) and the first owner, by email address or user id (blank: none).
	 */
	public record OrganizationForm(String name, String slug, String owner) {

		static final OrganizationForm EMPTY = new OrganizationForm("", "", "");
	}

	/**
	 * An organization page's forms to add a member (by email address or user id) and to invite an email address,
	 * each with a role, as typed; shown again when refused.
	 */
	public record MembershipForms(String member, String memberRole, String invitee, String inviteeRole) {

		static final MembershipForms EMPTY = new MembershipForms("", "member", "", "member");
	}

	/** The create form of an API key as typed, shown again when it is refused. */
	public record ApiKeyForm(String name, List<String> scopes, String expiresInDays) {

		static final ApiKeyForm EMPTY = new ApiKeyForm("", List.of(), "");
	}

	/**
	 * A webhook endpoint's form as shown: what is stored, or what was typed when the change was refused.
	 *
	 * @param eventTypes the checked event types; none means every type
	 */
	public record WebhookForm(String url, String description, List<String> eventTypes, boolean enabled) {
	}

	/**
	 * The OIDC client form of the dashboard as typed: URIs one per line, scopes separated by spaces, lifetimes in
	 * seconds. {@code grants} holds the grants' registered names ({@link #GRANTS}); {@code authMethod} one of
	 * {@link #AUTH_METHODS} ({@code none} for a public client's page), with the {@code private_key_jwt} keys in
	 * {@code jwksUri} or {@code jwks}. {@code errorField} and {@code error}: the field a refusal is about and its
	 * sentence, both null when nothing was refused.
	 */
	public record ClientForm(String name, String type, String redirectUris, String postLogoutRedirectUris,
			List<String> grants, String scopes, boolean consentRequired, boolean requirePkce, String logoUri,
			String accessTokenTtl, String refreshTokenTtl, String backchannelLogoutUri, String authMethod,
			String jwksUri, String jwks, String errorField, String error) {

		/** The grants the form offers, by their registered names (RFC 7591 §2). */
		public static final List<String> GRANTS = List.of("authorization_code", "refresh_token", "client_credentials",
				"urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange");

		/** How a confidential client may authenticate at the token endpoint (discovery's names). */
		public static final List<String> AUTH_METHODS = List.of("client_secret_basic", "private_key_jwt");

		/** A new client's form: a confidential web app with the defaults of {@code plinto clients create}. */
		public static ClientForm blank() {
			return new ClientForm("", "confidential", "", "", List.of("authorization_code", "refresh_token"),
					"openid profile email", true, true, "", "300", "2592000", "", "client_secret_basic", "", "", null,
					null);
		}

		/**
		 * The form of an existing client. An inline JWKS is not shown again: left empty, the keys registered stay.
		 */
		public static ClientForm of(AdminClients.AdminClient c) {
			return new ClientForm(c.name(), c.type(), String.join("\n", c.redirectUris()),
					String.join("\n", c.postLogoutRedirectUris()), c.grants(), String.join(" ", c.scopes()),
					c.consentRequired(), c.requirePkce(), c.logoUri() == null ? "" : c.logoUri(),
					String.valueOf(c.accessTokenTtlSeconds()), String.valueOf(c.refreshTokenTtlSeconds()),
					c.backchannelLogoutUri() == null ? "" : c.backchannelLogoutUri(), c.authMethod(),
					c.jwksUri() == null ? "" : c.jwksUri(), "", null, null);
		}

		/** This form as typed, with the sentence of a refusal of {@code field} (a Backend API field name). */
		public ClientForm refused(String field, String message) {
			return new ClientForm(name, type, redirectUris, postLogoutRedirectUris, grants, scopes, consentRequired,
					requirePkce, logoUri, accessTokenTtl, refreshTokenTtl, backchannelLogoutUri, authMethod, jwksUri,
					jwks, field, message);
		}

		/**
		 * The refusal's sentence if it is about the form's field {@code field} (lifetimes are named
		 * {@code …_seconds} in the Backend API), else null.
		 */
		public String error(String field) {
			return errorField != null && (errorField.equals(field) || errorField.equals(field + "_seconds")) ? error
					: null;
		}

		/** Whether the client authenticates, or is to, with a JWT signed by its own key (RFC 7523 §2.2). */
		public boolean usesKeys() {
			return "private_key_jwt".equals(authMethod);
		}

		/** Whether the form registers a public client. */
		public boolean isPublic() {
			return "public".equals(type);
		}

		/** The short id of a grant's checkbox. */
		public static String grantId(String grant) {
			return "grant-" + grant.substring(grant.lastIndexOf(':') + 1).replace('-', '_');
		}
	}

	/**
	 * A user's form as shown: the create form of the users page (email, name, whether the address counts as
	 * verified; a password is never shown again), or the name and email forms of a user's page. {@code errorField}
	 * and {@code error}: the field a refusal is about and its sentence, both null when nothing was refused.
	 */
	public record UserForm(String email, String name, boolean emailVerified, String errorField, String error) {

		static final UserForm EMPTY = new UserForm("", "", false, null, null);

		/** The form of an existing user. */
		static UserForm of(AdminUsers.AdminUser user) {
			return new UserForm(user.email(), user.name() == null ? "" : user.name(), user.emailVerified(), null, null);
		}

		/** The refusal's sentence if it is about {@code field}, else null. */
		public String error(String field) {
			return field.equals(errorField) ? error : null;
		}
	}

	/**
	 * A user's three metadata objects as the form shows them: pretty JSON as stored, or the text typed when it was
	 * refused; {@code errorField} and {@code error} name the refused field and its sentence. {@code original}: each
	 * field's text as stored when the page was first shown, sent back with the form so that a save writes only the
	 * fields the administrator changed.
	 */
	public record MetadataForm(String publicMetadata, String privateMetadata, String unsafeMetadata,
			String errorField, String error, Map<String, String> original) {

		/** The fields of the form, in order: the Backend API's names. */
		public static final List<String> FIELDS = List.of("public_metadata", "private_metadata", "unsafe_metadata");

		/** The text of a field by its name. */
		public String text(String field) {
			return switch (field) {
				case "public_metadata" -> publicMetadata;
				case "private_metadata" -> privateMetadata;
				default -> unsafeMetadata;
			};
		}

		/** The refusal's sentence if it is about {@code field}, else null. */
		public String error(String field) {
			return field.equals(errorField) ? error : null;
		}

		/** The field's text as stored when the page was first shown. */
		public String original(String field) {
			return original.getOrDefault(field, text(field));
		}
	}

	/** A secret shown once: the client it belongs to and the secret. */
	public record ShownSecret(String clientId, String clientName, String secret) {
	}
}
