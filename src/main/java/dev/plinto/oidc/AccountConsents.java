package dev.plinto.oidc;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.pages.ConnectedApps;
import dev.plinto.web.ClientInfo;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The consents a user gave to clients, for the account page ({@link ConnectedApps}): which apps may use the account,
 * with what scopes and since when, and "Revoke access". Revoking removes the consent (the app must ask again) and
 * every authorization of that client for this user, in one transaction, so its authorization codes, access and
 * refresh tokens stop being accepted at the token, introspection and UserInfo endpoints at once (RFC 7009 §2.1: a
 * revoked grant's tokens are invalidated together; RFC 6819 §5.2.2.3). Access tokens already handed out are JWTs a
 * resource server may still accept by signature alone until they expire (minutes). Audited as
 * {@code oidc.consent.revoked}.
 */
final class AccountConsents implements ConnectedApps {

	private static final String SCOPE = "SCOPE_";

	private final JdbcClient jdbc;

	private final RegisteredClientRepository clients;

	private final AuditLog audit;

	private final TransactionOperations tx;

	AccountConsents(JdbcClient jdbc, RegisteredClientRepository clients, AuditLog audit, TransactionOperations tx) {
		this.jdbc = jdbc;
		this.clients = clients;
		this.audit = audit;
		this.tx = tx;
	}

	private record Row(String registeredClientId, String authorities, Timestamp grantedAt) {
	}

	@Override
	public List<Grant> granted(String userId) {
		return jdbc.sql("""
				select registered_client_id, authorities, granted_at from oauth2_authorization_consent
				where principal_name = ? order by granted_at desc, registered_client_id""")
			.param(userId)
			.query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getTimestamp(3)))
			.list()
			.stream()
			.map(row -> {
				RegisteredClient client = clients.findById(row.registeredClientId());
				if (client == null) {
					return null;
				}
				List<String> scopes = Arrays.stream(row.authorities().split(","))
					.map(String::strip)
					.filter(a -> a.startsWith(SCOPE))
					.map(a -> a.substring(SCOPE.length()))
					.toList();
				Instant granted = row.grantedAt() == null ? Instant.EPOCH : row.grantedAt().toInstant();
				return new Grant(client.getClientId(), client.getClientName(), OidcClients.logoUri(client), scopes,
						granted);
			})
			.filter(Objects::nonNull)
			.toList();
	}

	@Override
	public boolean revoke(String userId, String clientId, ClientInfo by) {
		RegisteredClient client = clientId == null || clientId.isEmpty() ? null : clients.findByClientId(clientId);
		if (client == null) {
			return false;
		}
		Integer removed = tx.execute(status -> {
			int consents = jdbc.sql("""
					delete from oauth2_authorization_consent where registered_client_id = ? and principal_name = ?""")
				.param(client.getId())
				.param(userId)
				.update();
			if (consents == 0) {
				return 0;
			}
			jdbc.sql("delete from oauth2_authorization where registered_client_id = ? and principal_name = ?")
				.param(client.getId())
				.param(userId)
				.update();
			return consents;
		});
		if (removed == null || removed == 0) {
			return false;
		}
		audit.record(AuditEvent.Type.OIDC_CONSENT_REVOKED, userId, null, by, client.getClientId());
		return true;
	}
}
