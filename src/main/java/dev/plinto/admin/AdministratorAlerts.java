package dev.plinto.admin;

import dev.plinto.config.PlintoSettings;
import dev.plinto.mail.MailTemplates;
import dev.plinto.mail.Mailer;
import dev.plinto.webhook.WebhookDispatcher;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells the installation's administrators (instance role {@code admin} or {@code owner}) by mail what needs them:
 * a webhook endpoint that failed continuously for {@code PLINTO_WEBHOOKS_DISABLE_AFTER} and was disabled (its events
 * are no longer delivered until someone enables it and replays them, docs/webhooks.md). The mail goes through the
 * mail outbox, like every mail, and names the endpoint and its dashboard page; it carries no secret. Read-only
 * {@code support} accounts are not mailed: they cannot act on it.
 */
@Component
class AdministratorAlerts {

	private final JdbcClient jdbc;

	private final Mailer mailer;

	private final MailTemplates templates;

	private final String baseUrl;

	AdministratorAlerts(JdbcClient jdbc, Mailer mailer, MailTemplates templates, PlintoSettings settings) {
		this.jdbc = jdbc;
		this.mailer = mailer;
		this.templates = templates;
		this.baseUrl = settings.baseUrl();
	}

	@EventListener
	void endpointDisabled(WebhookDispatcher.EndpointDisabled disabled) {
		MailTemplates.Message message = templates.render("webhook_disabled", disabled.url(), disabled.endpointId(),
				disabled.failingSince().toString(), disabled.pendingFailed(),
				baseUrl + AdminPageRoutes.WEBHOOKS + "/" + disabled.endpointId());
		for (String email : administrators()) {
			mailer.enqueue(email, message);
		}
	}

	private List<String> administrators() {
		return jdbc.sql("select email from users where instance_role in ('admin', 'owner') and banned_at is null "
				+ "order by email").query(String.class).list();
	}
}
