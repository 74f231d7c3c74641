package dev.plinto.crypto;

import dev.plinto.config.PlintoSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The master-key box that seals secrets at rest (signing keys, TOTP secrets, queued mail). */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

	@Bean
	SecretBox secretBox(PlintoSettings settings) {
		return new SecretBox(MasterKey.resolve(settings));
	}
}
