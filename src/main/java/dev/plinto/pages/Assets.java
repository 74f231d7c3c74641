package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The pages' static files, read once at start and served under a name that carries the first 12 hex digits of the
 * SHA-256 of their content ({@code /assets/plinto.3f2a9c0d41b7.css}): a changed file gets a new URL, so every asset
 * can be cached for a year as {@code immutable} (RFC 8246) and an upgrade never shows a stale stylesheet. The
 * brand's colours become a small generated stylesheet ({@code theme}), because the Content-Security-Policy allows
 * no inline style; {@code PLINTO_CUSTOM_CSS} is served the same way after it.
 */
@Component
public final class Assets {

	/** The URLs the layout links to; {@code custom} is null without {@code PLINTO_CUSTOM_CSS}. */
	public record Urls(String css, String theme, String custom, String js) {
	}

	/** One served file. */
	record Asset(byte[] body, MediaType type) {
	}

	private final Map<String, Asset> byName = new LinkedHashMap<>();

	private final Urls urls;

	Assets(PlintoSettings settings) {
		String css = add("plinto", "css", resource("plinto.css"), MediaType.valueOf("text/css;charset=UTF-8"));
		String js = add("plinto", "js", resource("plinto.js"),
				MediaType.valueOf("text/javascript;charset=UTF-8"));
		String theme = add("theme", "css", theme(settings.pages().branding().primaryColor())
			.getBytes(StandardCharsets.UTF_8), MediaType.valueOf("text/css;charset=UTF-8"));
		String custom = settings.pages().branding().customCss().map(path -> {
			try {
				return add("custom", "css", Files.readAllBytes(path), MediaType.valueOf("text/css;charset=UTF-8"));
			}
			catch (IOException e) {
				throw new UncheckedIOException("PLINTO_CUSTOM_CSS could not be read: " + path, e);
			}
		}).orElse(null);
		this.urls = new Urls(css, theme, custom, js);
	}

	public Urls urls() {
		return urls;
	}

	Optional<Asset> find(String name) {
		return Optional.ofNullable(byName.get(name));
	}

	private String add(String base, String extension, byte[] body, MediaType type) {
		String name = base + "." + hash(body) + "." + extension;
		byName.put(name, new Asset(body, type));
		return "/assets/" + name;
	}

	/** The brand colour as CSS custom properties, read by plinto.css. */
	static String theme(String primary) {
		return ":root{--primary:" + primary + ";}\n";
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
