package dev.plinto.session;

import dev.plinto.account.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sessions and their refresh state: the sealed per-session secret and the generation of the current refresh token
 * ({@link RefreshTokenCodec}), and the rows of {@code refresh_tokens}: refresh tokens of the earlier form, stored only
 * as SHA-256 hashes.
 */
public interface SessionRepository {

	void insert(Session session);

	/** Inserts a session whose refresh chain starts at generation 1 with the given sealed secret. */
	void insert(Session session, String sealedRefreshSecret);

	/** A session with its user (and the user's public metadata) and its refresh state, in one statement. */
	Optional<RefreshState> findRefreshState(String sessionId);

	/**
	 * Advances the session's generation from {@code generation} to the next one, sets {@code rotated_at} and
	 * {@code last_active_at} to {@code at}, if {@code generation} is still current and the session is not revoked:
	 * the one atomic step that makes each refresh token single use (of two concurrent refreshes with the same
	 * token exactly one gets true).
	 */
	boolean rotate(String sessionId, long generation, Instant at);

	/**
	 * For a refresh with a token of the earlier form: gives the session {@code sealedSecret} if it has no secret
	 * yet, and advances its generation (rotated at {@code at}) unless the session is revoked; returns whether it did.
	 */
	boolean upgradeRefresh(String sessionId, String sealedSecret, Instant at);

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

	/** A session, its user, its sealed refresh secret (null before its first refresh), generation and last rotation. */
	/** {@code publicMetadata}: the user's public metadata as stored (null for none), for the token's claim. */
	record RefreshState(Session session, User user, String sealedSecret, long generation, Instant rotatedAt,
			String publicMetadata) {
	}

	record RefreshTokenRecord(String tokenHash, Session session, User user, Instant createdAt, Instant usedAt) {
	}
}
