package dev.plinto.session;

import dev.plinto.account.AccountDeletionHook;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * An account's sessions when it is deleted: every live session is revoked (reason {@code account_deleted}, each
 * with its {@code session.revoked} event and audit entry), so its access tokens stop working at once on this node
 * and, through {@link SessionRevocations}, on the others; the sessions are remembered as ended for the other nodes'
 * database poll, because their rows and refresh tokens go with the account's row.
 */
@Component
final class SessionsOnAccountDeletion implements AccountDeletionHook {

	static final String REASON = "account_deleted";

	private final SessionService sessions;

	private final SessionRepository repository;

	private final Clock clock;

	SessionsOnAccountDeletion(SessionService sessions, SessionRepository repository, Clock clock) {
		this.sessions = sessions;
		this.repository = repository;
		this.clock = clock;
	}

	@Override
	public void delete(String userId, String sessionId, ClientInfo client) {
		sessions.revokeAll(userId, null, REASON, client);
		repository.recordEnded(userId, clock.instant());
	}
}
