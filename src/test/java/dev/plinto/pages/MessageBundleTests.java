package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.audit.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Properties;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every language of the pages has every sentence: a key missing from (or left over in) any bundle fails here, and so
 * does a translation whose placeholders differ from the English sentence's.
 */
class MessageBundleTests {

	private final Languages languages = new Languages(MessageBundleTests.class.getClassLoader());

	@Test
	void bundlesWhenComparedWithEnglishThenSameKeysAndPlaceholders() throws IOException {
		Properties english = load("");
		SoftAssertions soft = new SoftAssertions();
		for (String code : languages.codes()) {
			if (code.equals(Languages.DEFAULT)) {
				continue;
			}
			Properties other = load("_" + code);
			TreeSet<String> missing = new TreeSet<>(english.stringPropertyNames());
			missing.removeAll(other.stringPropertyNames());
			TreeSet<String> extra = new TreeSet<>(other.stringPropertyNames());
			extra.removeAll(english.stringPropertyNames());
			soft.assertThat(missing).as("keys missing from messages_" + code).isEmpty();
			soft.assertThat(extra).as("keys of messages_" + code + " that English lacks").isEmpty();
			for (String key : english.stringPropertyNames()) {
				if (other.containsKey(key)) {
					soft.assertThat(placeholders(other.getProperty(key)))
						.as("placeholders of " + key + " in messages_" + code)
						.isEqualTo(placeholders(english.getProperty(key)));
				}
			}
		}
		soft.assertAll();
	}

	@Test
	void textWhenApostropheWrittenDoubledThenOneApostropheAlsoWithoutPlaceholders() throws IOException {
		assertThat(new Messages("en").text("factor.title")).isEqualTo("Confirm it's you");
		assertThat(new Messages("fr").text("error.title")).isEqualTo("Une erreur s'est produite");
		SoftAssertions soft = new SoftAssertions();
		for (String code : languages.codes()) {
			Properties bundle = load(code.equals(Languages.DEFAULT) ? "" : "_" + code);
			for (String key : bundle.stringPropertyNames()) {
				// A single ' starts a MessageFormat quote and disappears, with the placeholders after it.
				soft.assertThat(bundle.getProperty(key))
					.as(key + " in messages_" + code)
					.doesNotContainPattern("(?<!')'(?!')");
			}
		}
		soft.assertAll();
	}

	@Test
	void languagesWhenDiscoveredThenAtLeastEnglishGermanFrenchAndSpanish() {
		assertThat(languages.codes()).startsWith("en").contains("de", "fr", "es");
	}

	@Test
	void languageWhenAcceptLanguageNamesNoneWeHaveThenEnglish() {
		assertThat(languages.resolve(null, "ja, zh;q=0.8")).isEqualTo("en");
		assertThat(languages.resolve(null, "de-AT, en;q=0.5")).isEqualTo("de");
		assertThat(languages.resolve("es", "de")).isEqualTo("es");
		assertThat(languages.resolve("xx", "fr-CA")).isEqualTo("fr");
		assertThat(languages.resolve(null, ";;;garbage")).isEqualTo("en");
	}

	@Test
	void textWhenSentenceHasNoPlaceholdersThenDoubledApostropheIsOne() {
		assertThat(new Messages("fr").text("layout.terms")).isEqualTo("Conditions d'utilisation");
		assertThat(new Messages("en").text("factor.title")).isEqualTo("Confirm it's you");
	}

	@Test
	void eventsWhenAnyAuditTypeThenEveryLanguageHasItsSentence() throws IOException {
		Properties english = load("");
		for (AuditEvent.Type type : AuditEvent.Type.values()) {
			assertThat(english.getProperty("event." + type.wireName()))
				.as("the account page's sentence for the security event " + type.wireName())
				.isNotBlank();
		}
	}

	private static Properties load(String suffix) throws IOException {
		Properties p = new Properties();
		try (InputStream in = MessageBundleTests.class.getResourceAsStream("/" + Messages.BUNDLE_PATH + suffix
				+ ".properties")) {
			assertThat(in).as("bundle messages" + suffix).isNotNull();
			p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return p;
	}

	private static int placeholders(String pattern) {
		return new MessageFormat(pattern).getFormatsByArgumentIndex().length;
	}
}
