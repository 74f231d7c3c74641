package dev.plinto.pages;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The pages' static files, read once at start and served under a name that carries the first 12 hex digits of the
 * SHA-256 of their content ({@code /assets/plinto.3f2a9c0d41b7.css}): a changed file gets a new URL, so every asset
 * can be cached for a year as {@code immutable} (RFC 8246) and an upgrade never shows a stale stylesheet. The
 * brand's colours and colour scheme become a small generated stylesheet ({@code theme}: the primary colour, and the
 * dark colours of {@code dark.css} inside {@code prefers-color-scheme: dark}, always, or not at all as
 * {@code PLINTO_COLOR_SCHEME} says), because the Content-Security-Policy allows no inline style;
 * {@code PLINTO_CUSTOM_CSS} and {@code PLINTO_LOGO_FILE} are served the same way.
 */
@Component
public final class Assets {

	/**
	 * The URLs the layout links to; {@code custom} is null without {@code PLINTO_CUSTOM_CSS}, {@code logo} without
	 * {@code PLINTO_LOGO_FILE}.
	 */
	public record Urls(String css, String theme, String custom, String js, String logo) {
	}

	/** One served file. */
	record Asset(byte[] body, MediaType type) {
	}

	private final Map<String, Asset> byName = new ConcurrentHashMap<>();

	/** The generated theme stylesheets by colour and scheme: one per branding the server has shown. */
	private final Map<String, String> themes = new ConcurrentHashMap<>();

	private final LiveSettings settings;

	private final String dark = new String(resource("dark.css"), StandardCharsets.UTF_8);

	private final Urls urls;

	Assets(LiveSettings live) {
		this.settings = live;
		PlintoSettings start = live.current();
		String css = add("plinto", "css", resource("plinto.css"), MediaType.valueOf("text/css;charset=UTF-8"));
		String js = add("plinto", "js", resource("plinto.js"),
				MediaType.valueOf("text/javascript;charset=UTF-8"));
		PlintoSettings.Branding branding = start.pages().branding();
		String theme = theme(branding);
		String logo = branding.logoFile().map(path -> {
			String file = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
			String extension = file.substring(file.lastIndexOf('.') + 1);
			MediaType type = switch (extension) {
				case "svg" -> MediaType.valueOf("image/svg+xml");
				case "jpg", "jpeg" -> MediaType.IMAGE_JPEG;
				case "gif" -> MediaType.IMAGE_GIF;
				case "webp" -> MediaType.valueOf("image/webp");
				default -> MediaType.IMAGE_PNG;
			};
			try {
				return add("logo", extension, Files.readAllBytes(path), type);
			}
			catch (IOException e) {
				throw new UncheckedIOException("PLINTO_LOGO_FILE could not be read: " + path, e);
			}
		}).orElse(null);
		String custom = branding.customCss().map(path -> {
			try {
				return add("custom", "css", Files.readAllBytes(path), MediaType.valueOf("text/css;charset=UTF-8"));
			}
			catch (IOException e) {
				throw new UncheckedIOException("PLINTO_CUSTOM_CSS could not be read: " + path, e);
			}
		}).orElse(null);
		this.urls = new Urls(css, theme, custom, js, logo);
	}

	/** The URLs for the branding in effect now (the primary colour and colour scheme can change at run time). */
	public Urls urls() {
		String theme = theme(settings.current().pages().branding());
		return theme.equals(urls.theme()) ? urls
				: new Urls(urls.css(), theme, urls.custom(), urls.js(), urls.logo());
	}

	/**
	 * The theme stylesheet's URL for this branding, generated the first time it is asked for; earlier ones stay
	 * served, so a page rendered just before a change still finds its stylesheet.
	 */
	private String theme(PlintoSettings.Branding branding) {
		return themes.computeIfAbsent(branding.primaryColor() + " " + branding.colorScheme(),
				key -> add("theme", "css", theme(branding.primaryColor(), branding.colorScheme(), dark)
					.getBytes(StandardCharsets.UTF_8), MediaType.valueOf("text/css;charset=UTF-8")));
	}

	Optional<Asset> find(String name) {
		return Optional.ofNullable(byName.get(name));
	}

	private String add(String base, String extension, byte[] body, MediaType type) {
		String name = base + "." + hash(body) + "." + extension;
		byName.put(name, new Asset(body, type));
		return "/assets/" + name;
	}

	/** The brand colour as a CSS custom property read by plinto.css, and the dark colours as the scheme says. */
	static String theme(String primary, PlintoSettings.ColorScheme scheme, String dark) {
		String base = ":root{--primary:" + primary + ";}\n";
		return switch (scheme) {
			case AUTO -> base + "@media (prefers-color-scheme: dark) {\n" + dark + "}\n";
			case LIGHT -> base + ":root{color-scheme:light;}\n";
			case DARK -> base + dark;
		};
	}

	private static byte[] resource(String name) {
		try (InputStream in = Assets.class.getResourceAsStream("assets/" + name)) {
			if (in == null) {
				throw new IllegalStateException("missing page asset " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String hash(byte[] body) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 12);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
