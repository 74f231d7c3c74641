package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.ApiTestSupport;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages' assets: the generated theme for each {@code PLINTO_COLOR_SCHEME}, a logo file served under a hashed
 * name, and the settings' refusals of a logo given twice, a logo that is no image and an unknown scheme.
 */
class AssetsTests {

	@TempDir
	Path dir;

	@Test
	void themeWhenAutoThenDarkColoursOnlyInsideTheMediaQuery() {
		String theme = theme("auto");
		assertThat(theme).startsWith(":root{--primary:#4f46e5;}")
			.contains("@media (prefers-color-scheme: dark) {", "--bg: #0d1117;");
	}

	@Test
	void themeWhenLightOrDarkThenTheSchemeWhateverTheBrowserPrefers() {
		assertThat(theme("light")).contains(":root{color-scheme:light;}").doesNotContain("#0d1117", "@media");
		assertThat(theme("DARK")).contains("color-scheme: dark;", "--bg: #0d1117;").doesNotContain("@media");
	}

	@Test
	void logoWhenFileThenServedUnderAHashedNameAsAnImage() throws IOException {
		Path logo = Files.writeString(dir.resolve("Acme.SVG"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
		Assets assets = new Assets(LiveSettings.fixed(settings("PLINTO_LOGO_FILE", logo.toString())));
		assertThat(assets.urls().logo()).matches("/assets/logo\\.[0-9a-f]{12}\\.svg");
		Assets.Asset served = assets.find(assets.urls().logo().substring("/assets/".length())).orElseThrow();
		assertThat(served.type().toString()).isEqualTo("image/svg+xml");
		assertThat(new String(served.body(), StandardCharsets.UTF_8)).startsWith("<svg");
		assertThat(new Assets(LiveSettings.fixed(settings())).urls().logo()).isNull();
	}

	@Test
	void settingsWhenLogoTwiceOrNotAnImageOrSchemeUnknownThenRefusedByName() throws IOException {
		Path text = Files.writeString(dir.resolve("logo.txt"), "not an image");
		Path png = Files.write(dir.resolve("logo.png"), new byte[] { (byte) 0x89, 'P', 'N', 'G' });
		assertThatThrownBy(() -> settings("PLINTO_LOGO_FILE", text.toString()))
			.hasMessageContaining("PLINTO_LOGO_FILE must be a .png, .svg, .jpg, .webp or .gif image");
		assertThatThrownBy(() -> settings("PLINTO_LOGO_FILE", png.toString(), "PLINTO_LOGO_URL",
				"https://cdn.example/logo.png"))
			.hasMessageContaining("Set PLINTO_LOGO_URL or PLINTO_LOGO_FILE, not both.");
		assertThatThrownBy(() -> settings("PLINTO_COLOR_SCHEME", "sepia"))
			.hasMessageContaining("PLINTO_COLOR_SCHEME must be auto, light or dark, not 'sepia'.");
	}

	private String theme(String scheme) {
		Assets assets = new Assets(LiveSettings.fixed(settings("PLINTO_COLOR_SCHEME", scheme)));
		String name = assets.urls().theme().substring("/assets/".length());
		return new String(assets.find(name).orElseThrow().body(), StandardCharsets.UTF_8);
	}

	private static PlintoSettings settings(String... pairs) {
		Map<String, String> env = new HashMap<>();
		env.put("PLINTO_MASTER_KEY", ApiTestSupport.MASTER_KEY);
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			env.put(pairs[i], pairs[i + 1]);
		}
		return PlintoSettings.parse(env::get);
	}
}
