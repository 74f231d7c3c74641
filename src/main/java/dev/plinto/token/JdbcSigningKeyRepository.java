package dev.plinto.token;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keys in the {@code signing_keys} table. The private JWK is sealed with the master key (AES-256-GCM, the kid as
 * associated data) before it is written (OWASP Cryptographic Storage Cheat Sheet, "Key storage").
 */
@Component
final class JdbcSigningKeyRepository implements SigningKeyRepository {

	private final JdbcClient jdbc;

	private final SecretBox box;

	/** The sealed private keys, for {@code plinto master-key rotate}; sealed with "signing_key:" + kid. */
	static final SealedColumn SEALED = new SealedColumn("signing_keys", "kid", "private_jwk", "signing_key:");

	@Bean
	static SealedColumn signingKeySecrets() {
		return SEALED;
	}

	JdbcSigningKeyRepository(JdbcClient jdbc, SecretBox box) {
		this.jdbc = jdbc;
		this.box = box;
	}

	@Override
	public void insert(SigningKey key) {
		jdbc.sql("""
				insert into signing_keys (kid, alg, public_jwk, private_jwk, created_at, activates_at)
				values (:kid, :alg, :pub, :priv, :created, :activates)""")
			.param("kid", key.kid())
			.param("alg", key.algorithm().getName())
			.param("pub", key.publicJwk().toJSONString())
			.param("priv", box.seal(key.jwk().toJSONString(), SEALED.associatedData(key.kid())))
			.param("created", timestamp(key.createdAt()))
			.param("activates", timestamp(key.activatesAt()))
			.update();
	}

	@Override
	public List<SigningKey> findAll() {
		return jdbc.sql("select * from signing_keys order by activates_at, created_at, kid").query(this::map).list();
	}

	@Override
	public boolean delete(String kid) {
		return jdbc.sql("delete from signing_keys where kid = :kid").param("kid", kid).update() == 1;
	}

	@Override
	public int deleteExcept(List<String> keep, Instant createdBefore) {
		List<String> kids = keep.isEmpty() ? List.of("") : keep;
		return jdbc.sql("delete from signing_keys where created_at < :before and kid not in (:keep)")
			.param("before", timestamp(createdBefore))
			.param("keep", kids)
			.update();
	}

	private SigningKey map(ResultSet rs, int row) throws SQLException {
		String kid = rs.getString("kid");
		try {
			JWK jwk = JWK.parse(box.open(rs.getString("private_jwk"), SEALED.associatedData(kid)));
			return new SigningKey(kid, JWSAlgorithm.parse(rs.getString("alg")), jwk, instant(rs, "created_at"),
					instant(rs, "activates_at"));
		}
		catch (ParseException e) {
			throw new IllegalStateException("signing key " + kid + " is not a valid JWK", e);
		}
	}
}
