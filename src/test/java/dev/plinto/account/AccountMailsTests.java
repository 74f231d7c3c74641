package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The mail bundles: every language has every key of the English one, with the same placeholders. */
class AccountMailsTests {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+}");

	private static Properties load(String language) throws IOException {
		String path = AccountMails.BUNDLE.replace('.', '/') + (language.equals("en") ? "" : "_" + language)
				+ ".properties";
		Properties p = new Properties();
		try (InputStream in = AccountMailsTests.class.getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return p;
	}

	private static TreeSet<String> placeholders(String text) {
		TreeSet<String> found = new TreeSet<>();
		Matcher m = PLACEHOLDER.matcher(text);
		while (m.find()) {
			found.add(m.group());
		}
		return found;
	}

	@Test
	void languagesWhenOnTheClassPathThenEnglishGermanFrenchSpanish() {
		assertThat(AccountMails.languages(AccountMails.class.getClassLoader())).containsExactly("en", "de", "es",
				"fr");
	}

	@Test
	void bundlesWhenComparedWithEnglishThenSameKeysAndPlaceholdersAndTranslated() throws IOException {
		Properties english = load("en");
		for (String language : new String[] { "de", "fr", "es" }) {
			Properties other = load(language);
			assertThat(other.stringPropertyNames()).as(language).isEqualTo(english.stringPropertyNames());
			for (String key : english.stringPropertyNames()) {
				assertThat(placeholders(other.getProperty(key))).as(language + " " + key)
					.isEqualTo(placeholders(english.getProperty(key)));
			}
			assertThat(other.getProperty("deleted.subject")).as(language)
				.isNotEqualTo(english.getProperty("deleted.subject"));
		}
	}
}
