package dev.plinto.session;

import dev.plinto.account.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sessions and their refresh tokens (stored only as SHA-256 hashes). */
public interface SessionRepository {

	void insert(Session session);

	Optional<Session> findById(String id);

	/** Sessions of the user not revoked, not past their absolute expiry, and active since {@code idleSince}. */
	List<Session> findLive(String userId, Instant now, Instant idleSince);

	void touch(String sessionId, Instant at);

	/** Revokes if not yet revoked; returns whether this call revoked it. */
	boolean revoke(String sessionId, Instant at, String reason);

	/** Revokes every live session of the user except {@code keepSessionId} (may be null); returns their ids. */
	List<String> revokeAllForUser(String userId, String keepSessionId, Instant at, String reason);

	/** Ids of sessions revoked at or after {@code since}. */
	List<String> findRevokedSince(Instant since);

	long countLive(Instant now, Instant idleSince);

	/** Distinct users with a session (revoked or not) active at or after {@code since}: sign-in or refresh. */
	long countActiveUsersSince(Instant since);

	void insertRefreshToken(String tokenHash, String sessionId, Instant at);

	/** A refresh token with its session and the session's user, if the hash is known. */
	Optional<RefreshTokenRecord> findRefreshToken(String tokenHash);

	/** Marks the token used if it was unused: the one atomic step that makes each refresh token single use. */
	boolean markRefreshTokenUsed(String tokenHash, Instant at);

	/**
	 * Remembers every session of the user as ended, for the revocation poll of the other nodes, before the account
	 * and its session rows are deleted ({@link #findRevokedSince} reads it).
	 */
	void recordEnded(String userId, Instant at);

	/**
	 * Deletes sessions (and their refresh tokens) that ended before {@code before}, and the remembered sessions of
	 * deleted accounts that ended before it; returns how many sessions.
	 */
	int deleteEndedBefore(Instant before, Instant idleBefore);

	/** Sets (or with null clears) the session's active organization; returns whether the session exists. */
	boolean setActiveOrganization(String sessionId, String organizationId);

	/**
	 * Clears the active organization of every session of {@code userId} (of every user when null) that has
	 * {@code organizationId} active: after a member leaves or is removed, or the organization is deleted.
	 */
	void clearActiveOrganization(String userId, String organizationId);

	record RefreshTokenRecord(String tokenHash, Session session, User user, Instant createdAt, Instant usedAt) {
	}
}
