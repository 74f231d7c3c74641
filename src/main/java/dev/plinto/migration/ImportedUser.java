package dev.plinto.migration;

import java.time.Instant;
import java.util.List;

/**
 * One user as a source file describes it, in Plinto's terms: the source's id (kept as {@code external_id}), the
 * email and whether the source verified it, the name, when the account was created, the password hash in one of
 * the forms {@code crypto.PasswordHasher} verifies (null when the user has none), the source's metadata as JSON,
 * the TOTP secret in base32, the organizations the user belongs to, and what the source had that cannot come
 * along (passkeys bound to another relying party, social identities), each as one sentence for the report.
 * <p>
 * {@code passwordOnly} marks a record that only brings the password of a user (Auth0's password-hash export): it
 * sets the hash of the user it names and creates that user only when the profile export did not.
 */
public record ImportedUser(long record, long line, String externalId, String email, Boolean emailVerified,
		String name, Instant createdAt, String passwordHash, String metadata, String totpSecret,
		List<Membership> memberships, List<String> notCarried, boolean passwordOnly) {

	public ImportedUser {
		memberships = memberships == null ? List.of() : List.copyOf(memberships);
		notCarried = notCarried == null ? List.of() : List.copyOf(notCarried);
	}

	/**
	 * Membership in an organization, named by the source's id for it; a role that is not built in ({@code owner},
	 * {@code admin}, {@code member}) is created in the organization with its name and permissions.
	 */
	public record Membership(String organizationId, String organizationName, String organizationSlug, String role,
			String roleName, List<String> permissions) {

		public Membership {
			permissions = permissions == null ? List.of() : List.copyOf(permissions);
		}
	}

	@Override
	public String toString() {
		return "ImportedUser[record " + record + ", " + externalId + "]";
	}
}
