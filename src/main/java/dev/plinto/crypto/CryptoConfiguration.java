package dev.plinto.crypto;

import dev.plinto.config.PlintoSettings;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The master-key box that seals secrets at rest (signing keys, TOTP secrets, queued mail), built from the keys in
 * force ({@link MasterKey}); the current key seals, previous keys only open. And the provider that signs JWTs.
 */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

	/** Which provider signs RS256/ES256 JWTs, decided on first use or when the server prepares it. */
	@Bean
	NativeCrypto nativeCrypto(PlintoSettings settings) {
		return NativeCrypto.forThisMachine(settings.nativeCrypto());
	}

	@Bean
	MasterKeyCheck masterKeyCheck(JdbcClient jdbc, List<SealedColumn> columns, Clock clock, PlintoSettings settings) {
		return new MasterKeyCheck(jdbc, columns, clock, settings.database().description());
	}

	/**
	 * Refuses to start when the keys in force do not open this database's data (a restore without the old key),
	 * before anything is sealed under them; see {@link MasterKeyCheck}.
	 */
	@Bean
	SecretBox secretBox(PlintoSettings settings, MasterKeyCheck check) {
		SecretBox box = new SecretBox(MasterKey.resolve(settings, check));
		check.verify(box);
		return box;
	}
}
