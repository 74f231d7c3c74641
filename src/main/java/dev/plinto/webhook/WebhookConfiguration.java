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

	/** The system's resolver (and the JVM's DNS cache in front of it), which the HTTP client uses as well. */
	@Bean
	EndpointAddresses.Resolver webhookResolver() {
		return InetAddress::getAllByName;
	}

	@Bean
	EndpointAddresses endpointAddresses(PlintoSettings settings, EndpointAddresses.Resolver resolver) {
		return new EndpointAddresses(settings.webhooks(), resolver);
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
