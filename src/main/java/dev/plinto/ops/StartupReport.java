package dev.plinto.ops;

import dev.plinto.config.PlintoSettings;
import dev.plinto.mail.MailDispatcher;
import dev.plinto.throttle.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says, once the server is ready, where it listens and what it runs on: one line per fact. */
@Component
final class StartupReport {

	private static final Logger log = LoggerFactory.getLogger("dev.plinto");

	private final PlintoSettings settings;

	private final RateLimiter rateLimiter;

	private final MailDispatcher mail;

	StartupReport(PlintoSettings settings, RateLimiter rateLimiter, MailDispatcher mail) {
		this.settings = settings;
		this.rateLimiter = rateLimiter;
		this.mail = mail;
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		int port = event.getApplicationContext() instanceof WebServerApplicationContext web
				? web.getWebServer().getPort() : settings.port();
		log.info("Listening on http://localhost:{} (issuer {})", port, settings.issuer());
		log.info("Storage: {}", settings.database().description());
		log.info("Rate limits: {}", rateLimiter.backend().equals("Redis")
				? "Redis " + settings.redisUrl().map(u -> u.getHost() + ":" + u.getPort()).orElse("") : "in-process");
		log.info("Mail: {}", mail.transport(settings));
		if (settings.apiDocs()) {
			log.info("API docs: {}/docs (OpenAPI at {}/openapi.json; PLINTO_API_DOCS=off hides them)", settings.baseUrl(),
					settings.baseUrl());
		}
		else {
			log.info("API docs: off (PLINTO_API_DOCS=off)");
		}
	}
}
