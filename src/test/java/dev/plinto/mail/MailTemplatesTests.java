package dev.plinto.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;

/** The mails' words: the request's language, English for any other, the brand, and lifetimes in words. */
class MailTemplatesTests {

	private static final PlintoSettings SETTINGS = PlintoSettings.parse(Map.of("PLINTO_APP_NAME", "Acme",
			"PLINTO_SUPPORT_EMAIL", "help@acme.example", "PLINTO_MASTER_KEY",
			"dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=")::get);

	private final MailTemplates templates = new MailTemplates(SETTINGS, LiveSettings.fixed(SETTINGS));

	@AfterEach
	void resetLocale() {
		LocaleContextHolder.resetLocaleContext();
	}

	@Test
	void renderWhenRequestIsGermanThenGermanWithTheBrandAndTheSupportAddress() {
		LocaleContextHolder.setLocale(Locale.forLanguageTag("de-AT"));
		MailTemplates.Message mail = templates.render("invitation", "Team \"Nord\"", "https://x/accept?token=t",
				Duration.ofDays(7));
		assertThat(mail.subject()).isEqualTo("Sie sind zu einer Organisation auf Acme eingeladen");
		assertThat(mail.body()).contains("der Organisation „Team \"Nord\"“ auf Acme", "https://x/accept?token=t",
				"Der Link gilt 7 Tage.")
			.endsWith("-- \nAcme\nFragen? Schreiben Sie an help@acme.example.\n");
	}

	@Test
	void renderWhenLanguageUnknownThenEnglishAndLifetimesInHoursOrMinutes() {
		LocaleContextHolder.setLocale(Locale.JAPANESE);
		assertThat(templates.render("verify_email", "https://x/v?token=t", Duration.ofHours(24)).body())
			.startsWith("Hello,\n\nconfirm your email address for Acme by opening this link within 24 hours:");
		assertThat(templates.render("reset_password", "https://x/r?token=t", Duration.ofMinutes(30)).body())
			.contains("within 30 minutes").contains("your password stays unchanged.");
	}

	@Test
	void renderWhenFrenchThenOneApostropheNotTwo() {
		LocaleContextHolder.setLocale(Locale.FRENCH);
		assertThat(templates.render("reset_password", "https://x/r?token=t", Duration.ofHours(1)).body())
			.contains("quelqu'un a demandé", "Le lien est valable 1 heure.").doesNotContain("''");
	}
}
