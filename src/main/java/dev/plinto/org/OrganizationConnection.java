package dev.plinto.org;

import java.time.Instant;

/**
 * An organization's enterprise connection (docs/federation.md): an OpenID Connect or SAML 2.0 identity provider
 * its members sign in with. For {@code oidc}, {@code oidcClientSecret} is the secret as stored, sealed with the master
 * key (associated data {@code connection-secret:} + id); for {@code saml}, the identity provider's metadata by URL or
 * as XML. {@code attributeMapping} is a JSON object (which claims or attributes hold email, name and groups, and
 * which group gives which role); {@code defaultRole} is the role of a member who joins through the connection.
 * {@code scimTokenHash} is the SHA-256 (hex) of the connection's SCIM token, or null when it has none.
 */
public record OrganizationConnection(String id, String organizationId, Type type, String name, boolean enabled,
		String oidcIssuer, String oidcClientId, String oidcClientSecret, String samlMetadataUrl, String samlMetadataXml,
		String attributeMapping, String defaultRole, String scimTokenHash, Instant scimTokenCreatedAt,
		Instant createdAt, Instant updatedAt) {

	/** The protocol of a connection, as stored. */
	public enum Type {

		OIDC("oidc"), SAML("saml");

		private final String wire;

		Type(String wire) {
			this.wire = wire;
		}

		public String wire() {
			return wire;
		}

		public static Type of(String wire) {
			for (Type t : values()) {
				if (t.wire.equals(wire)) {
					return t;
				}
			}
			throw new IllegalArgumentException("unknown connection type: " + wire);
		}
	}

	/** The associated data the client secret of an OpenID Connect connection is sealed under. */
	public static String secretAssociatedData(String connectionId) {
		return "connection-secret:" + connectionId;
	}
}
