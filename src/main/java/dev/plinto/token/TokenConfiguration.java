package dev.plinto.token;

import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.NativeCrypto;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionOperations;

@Configuration(proxyBeanMethods = false)
class TokenConfiguration {

	@Bean
	SigningKeys signingKeys(SigningKeyRepository repository, Clock clock, PlintoSettings settings, AuditLog audit,
			ApplicationEventPublisher events, TransactionOperations tx, NativeCrypto crypto) {
		SigningKeys keys = new SigningKeys(repository, clock, settings, audit, events, tx, crypto);
		keys.initialize();
		return keys;
	}

	/** The OpenID provider's JWT encoder: the same keys as every other token. */
	@Bean
	SigningKeyJwtEncoder signingKeyJwtEncoder(SigningKeys keys) {
		return new SigningKeyJwtEncoder(keys);
	}

	/**
	 * The server's tokens. Creating them starts the check of the native crypto provider on its own thread, so that it
	 * is done, and logged, by the first signature; the command-line tools do not sign and never load it.
	 */
	@Bean
	AccessTokens accessTokens(SigningKeys keys, PlintoSettings settings, Clock clock, NativeCrypto crypto) {
		crypto.prepare();
		return new AccessTokens(keys, settings, clock);
	}
}
