package dev.plinto.crypto;

import dev.plinto.config.PlintoSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The master-key box that seals secrets at rest (signing keys, TOTP secrets, queued mail), built from the keys in
 * force ({@link MasterKey}); the current key seals, previous keys only open.
 */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

	@Bean
	SecretBox secretBox(PlintoSettings settings) {
		return new SecretBox(MasterKey.resolve(settings));
	}
}
