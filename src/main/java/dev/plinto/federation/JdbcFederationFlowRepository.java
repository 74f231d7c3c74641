package dev.plinto.federation;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcFederationFlowRepository implements FederationFlowRepository {

	private final JdbcClient jdbc;

	JdbcFederationFlowRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(FederationFlow f) {
		jdbc.sql("""
				insert into federation_flows (id, provider, type, state_hash, secrets, browser_hash, redirect_url,
				link_user_id, created_at, expires_at)
				values (:id, :provider, :type, :state, :secrets, :browser, :redirect, :link, :created, :expires)""")
			.param("id", f.id())
			.param("provider", f.provider())
			.param("type", f.type().name())
			.param("state", f.stateHash())
			.param("secrets", f.sealedSecrets())
			.param("browser", f.browserHash())
			.param("redirect", f.redirectUrl())
			.param("link", f.linkUserId())
			.param("created", timestamp(f.createdAt()))
			.param("expires", timestamp(f.expiresAt()))
			.update();
	}

	@Override
	public Optional<FederationFlow> findByStateHash(String stateHash) {
		return jdbc.sql("select * from federation_flows where state_hash = :hash")
			.param("hash", stateHash)
			.query(JdbcFederationFlowRepository::map)
			.optional();
	}

	@Override
	public boolean spend(String id, Instant at) {
		return jdbc.sql("update federation_flows set used_at = :at, secrets = null where id = :id and used_at is null")
			.param("at", timestamp(at))
			.param("id", id)
			.update() == 1;
	}

	@Override
	public void hold(String id, String identityJson, String resultHash) {
		jdbc.sql("update federation_flows set identity = :identity, result_hash = :hash where id = :id")
			.param("identity", identityJson)
			.param("hash", resultHash)
			.param("id", id)
			.update();
	}

	@Override
	public Optional<FederationFlow> take(String flowId, String resultHash) {
		Optional<FederationFlow> flow = jdbc.sql("select * from federation_flows where id = :id and result_hash = :hash")
			.param("id", flowId)
			.param("hash", resultHash)
			.query(JdbcFederationFlowRepository::map)
			.optional();
		return flow.filter(f -> jdbc
			.sql("update federation_flows set result_hash = null, identity = null where id = :id and result_hash = :hash")
			.param("id", f.id())
			.param("hash", resultHash)
			.update() == 1);
	}

	@Override
	public int deleteExpired(Instant before) {
		jdbc.sql("delete from federation_sign_in_organizations where expires_at < :before")
			.param("before", timestamp(before))
			.update();
		return jdbc.sql("delete from federation_flows where expires_at < :before")
			.param("before", timestamp(before))
			.update();
	}

	@Override
	public void insertSignInOrganization(String signInFlowId, String organizationId, Instant expiresAt) {
		jdbc.sql("""
				insert into federation_sign_in_organizations (flow_id, organization_id, expires_at)
				values (:flow, :organization, :expires)""")
			.param("flow", signInFlowId)
			.param("organization", organizationId)
			.param("expires", timestamp(expiresAt))
			.update();
	}

	@Override
	public Optional<String> takeSignInOrganization(String signInFlowId) {
		Optional<String> organization = jdbc
			.sql("select organization_id from federation_sign_in_organizations where flow_id = :flow")
			.param("flow", signInFlowId)
			.query(String.class)
			.optional();
		organization.ifPresent(o -> jdbc.sql("delete from federation_sign_in_organizations where flow_id = :flow")
			.param("flow", signInFlowId)
			.update());
		return organization;
	}

	private static FederationFlow map(ResultSet rs, int row) throws SQLException {
		return new FederationFlow(rs.getString("id"), rs.getString("provider"),
				FederationFlow.Type.valueOf(rs.getString("type")), rs.getString("state_hash"), rs.getString("secrets"),
				rs.getString("browser_hash"), rs.getString("redirect_url"), rs.getString("link_user_id"),
				rs.getString("identity"), rs.getString("result_hash"), instant(rs, "created_at"),
				instant(rs, "expires_at"), instant(rs, "used_at"));
	}
}
