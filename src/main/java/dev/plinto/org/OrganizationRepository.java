package dev.plinto.org;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores organizations, memberships, custom roles and invitations. Every read of organization data takes the
 * organization id, so a query can never reach another organization's rows.
 */
public interface OrganizationRepository {

	/** Inserts; throws {@link org.springframework.dao.DuplicateKeyException} when the slug is taken. */
	void insert(Organization organization);

	Optional<Organization> findById(String id);

	boolean slugExists(String slug);

	/** Updates name, slug and public metadata; throws {@code DuplicateKeyException} when the slug is taken. */
	void update(String id, String name, String slug, String publicMetadata, Instant at);

	void updatePrivateMetadata(String id, String privateMetadata, Instant at);

	void delete(String id);

	/** Organizations that still exist and were created by the user. */
	long countCreatedBy(String userId);

	/**
	 * Locks the organization's row until the transaction ends ({@code select … for update}), so that membership
	 * changes that check a count (member limit, last owner) run one after another; false if it does not exist.
	 */
	boolean lock(String id);

	/**
	 * Locks the user's account row until the transaction ends, so that concurrent creations by one user are
	 * counted one after another against the per-user limit.
	 */
	void lockCreator(String userId);

	/** An organization with the caller's role in it. */
	record Joined(Organization organization, String role) {
	}

	/** The user's organizations ordered by slug, after {@code afterSlug} when given. */
	List<Joined> findByMember(String userId, String afterSlug, int limit);

	void insertMembership(Membership membership);

	Optional<Membership> findMembership(String organizationId, String userId);

	void updateMembershipRole(String organizationId, String userId, String role, Instant at);

	boolean deleteMembership(String organizationId, String userId);

	long countMembers(String organizationId);

	long countMembersWithRole(String organizationId, String role);

	/**
	 * Members ordered by email, whose email contains {@code emailQuery} (any when null), after {@code afterEmail}
	 * when given.
	 */
	List<Member> findMembers(String organizationId, String emailQuery, String afterEmail, int limit);

	/** The organization's slug and the user's role key in it, in one query (for access-token claims). */
	record SlugAndRole(String slug, String role) {
	}

	Optional<SlugAndRole> findSlugAndRole(String organizationId, String userId);

	Optional<Member> findMember(String organizationId, String userId);

	/** Every member's user id (for deleting an organization). */
	List<String> findMemberIds(String organizationId);

	void insertRole(String organizationId, Role role);

	Optional<Role> findRole(String organizationId, String key);

	/** The organization's custom roles, by key. */
	List<Role> findRoles(String organizationId);

	long countRoles(String organizationId);

	void updateRole(String organizationId, Role role);

	boolean deleteRole(String organizationId, String key);

	/** Memberships with the role plus open (not accepted, not revoked) invitations to it. */
	long countRoleHolders(String organizationId, String key);

	void insertInvitation(Invitation invitation);

	Optional<Invitation> findInvitation(String organizationId, String id);

	Optional<Invitation> findInvitationByTokenHash(String tokenHash);

	/** Open invitations (not accepted, not revoked; expired ones included), newest first. */
	List<Invitation> findOpenInvitations(String organizationId);

	/**
	 * Unexpired open invitations of every organization to any of these stored forms of one address, newest first
	 * (what a signed-in user with that verified address may accept).
	 */
	List<Invitation> findPendingInvitationsFor(List<String> emails, Instant now);

	/** Whether an unexpired open invitation exists for this email. */
	boolean pendingInvitationExists(String organizationId, String email, Instant now);

	/** Unexpired open invitations. */
	long countPendingInvitations(String organizationId, Instant now);

	/**
	 * Marks an open, unexpired invitation accepted, if its link is still the one with this token hash; false when it
	 * was no longer open, had expired or its link was replaced by a resend meanwhile (the single-use step).
	 */
	boolean markInvitationAccepted(String id, String tokenHash, String userId, Instant at);

	/** Revokes an open invitation; false when it was no longer open. */
	boolean revokeInvitation(String organizationId, String id, Instant at);

	/** Gives an open invitation a new token and expiry; false when it was no longer open. */
	boolean renewInvitation(String organizationId, String id, String tokenHash, Instant createdAt,
			Instant expiresAt);

	/** Deletes invitations that expired, or were accepted or revoked, before {@code before}. */
	int deleteInvitationsEndedBefore(Instant before);
}
