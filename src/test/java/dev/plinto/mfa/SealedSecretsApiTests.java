package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiTestSupport;
import dev.plinto.crypto.MasterKeyRotation;
import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The running server seals under the current master key with its key id, and every feature that stores sealed
 * values declares its column, so {@code plinto master-key rotate} re-seals them all.
 */
class SealedSecretsApiTests extends ApiTestSupport {

	@Autowired
	MasterKeyRotation rotation;

	@Autowired
	SecretBox box;

	@Autowired
	JdbcClient jdbc;

	@Test
	void columnsWhenServerRunsThenSigningKeysTotpSecretsQueuedMailWebhookRefreshAndFederationSecretsAreAllCovered() {
		assertThat(rotation.columns()).map(SealedColumn::toString)
			.containsExactlyInAnyOrder("signing_keys.private_jwk", "totp_factors.secret", "mail_outbox.body",
					"webhook_endpoints.secret", "webhook_endpoints.previous_secret", "sessions.refresh_secret",
					"federation_flows.secrets", "organization_connections.oidc_client_secret",
					"saml_sp_keys.private_key");
	}

	@Test
	void sealWhenServerStoresATotpSecretThenUnderTheCurrentKeyIdAndNothingLeftToRotate() {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		MfaSteps.enrolTotp(api, token, clock.instant());
		String sealed = jdbc.sql("select t.secret from totp_factors t join users u on u.id = t.user_id "
				+ "where u.email = :email")
			.param("email", email)
			.query(String.class)
			.single();

		assertThat(SecretBox.keyIdOf(sealed))
			.hasValue(SecretBox.keyId(Base64.getDecoder().decode(ApiTestSupport.MASTER_KEY)));
		assertThat(rotation.remaining(box)).isZero();
	}
}
