package dev.plinto.webhook;

import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SealedColumn;
import java.net.InetAddress;
import java.net.http.HttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook feature's shared pieces: the HTTP client, the address policy and the sealed secret columns. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

	/**
	 * One client for every delivery (it pools connections per endpoint). Redirects are never followed: a receiver
	 * could otherwise send the request on to an internal address after the address check (OWASP Server-Side
	 * Request Forgery Prevention Cheat Sheet, "disable the support for the following of redirections").
	 */
	@Bean(destroyMethod = "")
	HttpClient webhookHttpClient(PlintoSettings settings) {
		return HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(settings.webhooks().timeout())
			.build();
	}

	@Bean
	EndpointAddresses endpointAddresses(PlintoSettings settings) {
		return new EndpointAddresses(settings.webhooks(), InetAddress::getAllByName);
	}

	/** For {@code plinto master-key rotate}, which re-seals every declared column. */
	@Bean
	static SealedColumn webhookSecrets() {
		return WebhookSecrets.CURRENT;
	}

	@Bean
	static SealedColumn previousWebhookSecrets() {
		return WebhookSecrets.PREVIOUS;
	}
}
