package dev.plinto.org;

/**
 * Published inside the transaction that changes an organization, a membership or an invitation, so that webhooks
 * record {@code organization.*}, {@code membership.*} and {@code invitation.*} in that same transaction
 * (docs/webhooks.md). Exactly one of {@code organization}, {@code membership} and {@code invitation} is set, as
 * {@code kind} says; each is the state after the change (before it, for a deletion).
 */
public record OrganizationEvent(Kind kind, Organization organization, Membership membership, Invitation invitation) {

	public enum Kind {
		ORGANIZATION_CREATED, ORGANIZATION_UPDATED, ORGANIZATION_DELETED, MEMBERSHIP_CREATED, MEMBERSHIP_UPDATED,
		MEMBERSHIP_DELETED, INVITATION_CREATED, INVITATION_ACCEPTED, INVITATION_REVOKED
	}

	static OrganizationEvent of(Kind kind, Organization organization) {
		return new OrganizationEvent(kind, organization, null, null);
	}

	static OrganizationEvent of(Kind kind, Membership membership) {
		return new OrganizationEvent(kind, null, membership, null);
	}

	static OrganizationEvent of(Kind kind, Invitation invitation) {
		return new OrganizationEvent(kind, null, null, invitation);
	}
}
