package dev.plinto.org;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcConnectionRepository implements ConnectionRepository {

	private final JdbcClient jdbc;

	JdbcConnectionRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(OrganizationConnection c) {
		jdbc.sql("""
				insert into organization_connections (id, organization_id, type, name, enabled, oidc_issuer,
				oidc_client_id, oidc_client_secret, saml_metadata_url, saml_metadata_xml, attribute_mapping,
				default_role, created_at, updated_at) values (:id, :org, :type, :name, :enabled, :issuer, :clientId,
				:secret, :metadataUrl, :metadataXml, :mapping, :role, :created, :updated)""")
			.param("id", c.id())
			.param("org", c.organizationId())
			.param("type", c.type().wire())
			.param("name", c.name())
			.param("enabled", c.enabled())
			.param("issuer", c.oidcIssuer())
			.param("clientId", c.oidcClientId())
			.param("secret", c.oidcClientSecret())
			.param("metadataUrl", c.samlMetadataUrl())
			.param("metadataXml", c.samlMetadataXml())
			.param("mapping", c.attributeMapping())
			.param("role", c.defaultRole())
			.param("created", timestamp(c.createdAt()))
			.param("updated", timestamp(c.updatedAt()))
			.update();
	}

	@Override
	public void update(OrganizationConnection c) {
		jdbc.sql("""
				update organization_connections set name = :name, enabled = :enabled, oidc_issuer = :issuer,
				oidc_client_id = :clientId, oidc_client_secret = :secret, saml_metadata_url = :metadataUrl,
				saml_metadata_xml = :metadataXml, attribute_mapping = :mapping, default_role = :role,
				updated_at = :updated where id = :id and organization_id = :org""")
			.param("name", c.name())
			.param("enabled", c.enabled())
			.param("issuer", c.oidcIssuer())
			.param("clientId", c.oidcClientId())
			.param("secret", c.oidcClientSecret())
			.param("metadataUrl", c.samlMetadataUrl())
			.param("metadataXml", c.samlMetadataXml())
			.param("mapping", c.attributeMapping())
			.param("role", c.defaultRole())
			.param("updated", timestamp(c.updatedAt()))
			.param("id", c.id())
			.param("org", c.organizationId())
			.update();
	}

	@Override
	public boolean delete(String organizationId, String connectionId) {
		return jdbc.sql("delete from organization_connections where id = :id and organization_id = :org")
			.param("id", connectionId)
			.param("org", organizationId)
			.update() > 0;
	}

	@Override
	public Optional<OrganizationConnection> findById(String connectionId) {
		return jdbc.sql("select * from organization_connections where id = :id")
			.param("id", connectionId)
			.query(JdbcConnectionRepository::connection)
			.optional();
	}

	@Override
	public List<OrganizationConnection> findByOrganization(String organizationId) {
		return jdbc.sql("select * from organization_connections where organization_id = :org order by created_at, id")
			.param("org", organizationId)
			.query(JdbcConnectionRepository::connection)
			.list();
	}

	@Override
	public Optional<OrganizationConnection> findByScimTokenHash(String tokenHash) {
		return jdbc.sql("select * from organization_connections where scim_token_hash = :hash")
			.param("hash", tokenHash)
			.query(JdbcConnectionRepository::connection)
			.optional();
	}

	@Override
	public void setScimToken(String connectionId, String tokenHash, Instant at) {
		jdbc.sql("""
				update organization_connections set scim_token_hash = :hash, scim_token_created_at = :at,
				updated_at = :at where id = :id""")
			.param("hash", tokenHash)
			.param("at", timestamp(at))
			.param("id", connectionId)
			.update();
	}

	@Override
	public void insertDomain(OrganizationDomain d) {
		jdbc.sql("""
				insert into organization_domains (organization_id, domain, connection_id, verification_token,
				passwords_disabled, created_at) values (:org, :domain, :connection, :token, :disabled, :created)""")
			.param("org", d.organizationId())
			.param("domain", d.domain())
			.param("connection", d.connectionId())
			.param("token", d.verificationToken())
			.param("disabled", d.passwordsDisabled())
			.param("created", timestamp(d.createdAt()))
			.update();
	}

	@Override
	public Optional<OrganizationDomain> findDomain(String organizationId, String domain) {
		return jdbc.sql("select * from organization_domains where organization_id = :org and domain = :domain")
			.param("org", organizationId)
			.param("domain", domain)
			.query(JdbcConnectionRepository::domain)
			.optional();
	}

	@Override
	public List<OrganizationDomain> findDomains(String organizationId) {
		return jdbc.sql("select * from organization_domains where organization_id = :org order by domain")
			.param("org", organizationId)
			.query(JdbcConnectionRepository::domain)
			.list();
	}

	@Override
	public Optional<OrganizationDomain> findVerifiedDomain(String domain) {
		return jdbc.sql("select * from organization_domains where verified_domain = :domain")
			.param("domain", domain)
			.query(JdbcConnectionRepository::domain)
			.optional();
	}

	@Override
	public boolean markDomainVerified(String organizationId, String domain, String verifiedBy, Instant at) {
		try {
			return jdbc.sql("""
					update organization_domains set verified_domain = domain, verified_at = :at, verified_by = :by
					where organization_id = :org and domain = :domain""")
				.param("at", timestamp(at))
				.param("by", verifiedBy)
				.param("org", organizationId)
				.param("domain", domain)
				.update() > 0;
		}
		catch (DuplicateKeyException e) {
			return false;
		}
	}

	@Override
	public void updateDomainRouting(String organizationId, String domain, String connectionId,
			boolean passwordsDisabled) {
		jdbc.sql("""
				update organization_domains set connection_id = :connection, passwords_disabled = :disabled
				where organization_id = :org and domain = :domain""")
			.param("connection", connectionId)
			.param("disabled", passwordsDisabled)
			.param("org", organizationId)
			.param("domain", domain)
			.update();
	}

	@Override
	public boolean deleteDomain(String organizationId, String domain) {
		return jdbc.sql("delete from organization_domains where organization_id = :org and domain = :domain")
			.param("org", organizationId)
			.param("domain", domain)
			.update() > 0;
	}

	private static OrganizationConnection connection(ResultSet rs, int row) throws SQLException {
		return new OrganizationConnection(rs.getString("id"), rs.getString("organization_id"),
				OrganizationConnection.Type.of(rs.getString("type")), rs.getString("name"), rs.getBoolean("enabled"),
				rs.getString("oidc_issuer"), rs.getString("oidc_client_id"), rs.getString("oidc_client_secret"),
				rs.getString("saml_metadata_url"), rs.getString("saml_metadata_xml"), rs.getString("attribute_mapping"),
				rs.getString("default_role"), rs.getString("scim_token_hash"), instant(rs, "scim_token_created_at"),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static OrganizationDomain domain(ResultSet rs, int row) throws SQLException {
		return new OrganizationDomain(rs.getString("organization_id"), rs.getString("domain"),
				rs.getString("connection_id"), rs.getString("verification_token"), instant(rs, "verified_at"),
				rs.getString("verified_by"), rs.getBoolean("passwords_disabled"), instant(rs, "created_at"));
	}
}
