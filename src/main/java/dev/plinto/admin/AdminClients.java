package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * The OpenID provider's clients as the Backend API and the dashboard show and change them: the calls of
 * {@link OidcClients}, the service of {@code plinto clients}, made inside {@link AuditLog#actingAs} so its audit
 * events ({@code oidc.client.created}, {@code oidc.client.updated}, {@code oidc.client.secret_rotated},
 * {@code oidc.client.deleted}) carry the API key or the administrator as actor. Its refusals become problem+json:
 * an unknown client {@code not_found}, a refused field {@code validation_failed} naming the field, a secret asked
 * of a client without one {@code client_has_no_secret}. Secret hashes never leave {@link OidcClients}; a new secret
 * is in the answer of its creation only.
 */
@Service
public final class AdminClients {

	private final OidcClients clients;

	AdminClients(OidcClients clients) {
		this.clients = clients;
	}

	/** A client as the Backend API answers it: its settings, never its secret or the secret's hash. */
	public record AdminClient(@Schema(example = "cli_…") String id, String name,
			@Schema(allowableValues = { "confidential", "public" }) String type,
			@Schema(allowableValues = { "client_secret_basic", "private_key_jwt", "none" }) String authMethod,
			List<String> redirectUris, List<String> postLogoutRedirectUris, List<String> grants, List<String> scopes,
			boolean consentRequired, boolean requirePkce, @Schema(nullable = true) String logoUri,
			long accessTokenTtlSeconds, long refreshTokenTtlSeconds, @Schema(nullable = true) String jwksUri,
			boolean jwksRegistered, @Schema(nullable = true) String backchannelLogoutUri,
			boolean backchannelLogoutSessionRequired, boolean refreshWithoutOfflineAccess, Instant createdAt) {
	}

	/** A new client and, for one with a secret, the secret: in this answer only. */
	public record CreatedClient(AdminClient client, @Schema(nullable = true) String clientSecret) {
	}

	/** A confidential client's new secret: in this answer only. */
	public record NewSecret(String clientId, String clientSecret) {
	}

	public Page<AdminClient> list(String cursor, int limit) {
		Instant after = null;
		String afterId = null;
		String decoded = PageCursor.decode(cursor);
		if (decoded != null) {
			try {
				String[] parts = decoded.split("\\|", 2);
				after = Instant.parse(parts[0]);
				afterId = parts[1];
			}
			catch (RuntimeException e) {
				throw PageCursor.forged();
			}
		}
		return Page.of(clients.list(after, afterId, Page.rowsFor(limit)), limit,
				d -> d.client().createdAt() + "|" + d.client().clientId(), AdminClients::view);
	}

	public AdminClient get(String clientId) {
		return view(refusals(() -> clients.details(clientId)));
	}

	public CreatedClient create(String actorId, ClientInfo from, OidcClients.Type type, OidcClients.Changes changes) {
		OidcClients.Created created = AuditLog.actingAs(actorId,
				() -> refusals(() -> clients.create(type, changes, from)));
		return new CreatedClient(get(created.client().clientId()), created.secret());
	}

	public AdminClient change(String actorId, ClientInfo from, String clientId, OidcClients.Changes changes) {
		return view(AuditLog.actingAs(actorId, () -> refusals(() -> clients.change(clientId, changes, from))));
	}

	public NewSecret rotateSecret(String actorId, ClientInfo from, String clientId) {
		return new NewSecret(clientId,
				AuditLog.actingAs(actorId, () -> refusals(() -> clients.rotateSecret(clientId, from))));
	}

	public void delete(String actorId, ClientInfo from, String clientId) {
		AuditLog.actingAs(actorId, () -> refusals(() -> {
			clients.delete(clientId, from);
			return null;
		}));
	}

	/** The service's refusals as the Backend API's errors. */
	private static <T> T refusals(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (OidcClients.UnknownClient e) {
			throw new ApiException(ErrorCode.NOT_FOUND, "No client with this id exists.");
		}
		catch (OidcClients.NoSecret e) {
			throw new ApiException(ErrorCode.CLIENT_HAS_NO_SECRET, e.getMessage());
		}
		catch (OidcClients.Refused e) {
			throw ApiException.validation(e.field(), ErrorCode.VALIDATION_FAILED, e.getMessage());
		}
	}

	private static AdminClient view(OidcClients.Details details) {
		OidcClients.Client c = details.client();
		OidcClients.SessionOptions s = details.session();
		return new AdminClient(c.clientId(), c.name(), c.type().name().toLowerCase(Locale.ROOT), c.authMethod(),
				c.redirectUris(), c.postLogoutRedirectUris(), c.grants(), c.scopes(), !c.firstParty(),
				c.requirePkce(), c.logoUri(), c.accessTokenTtl().toSeconds(), c.refreshTokenTtl().toSeconds(),
				c.keys() == null ? null : c.keys().jwksUri(), c.keys() != null && c.keys().jwks() != null,
				s.backchannelLogoutUri(), s.backchannelLogoutSessionRequired(), s.refreshWithoutOfflineAccess(),
				c.createdAt());
	}
}
