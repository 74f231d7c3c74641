package dev.plinto.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What this build is: its version (from the jar manifest) and the Java version it was compiled on. */
public final class BuildInfo {

	private BuildInfo() {
	}

	/** This build's version, from the jar manifest; "development build" when run from classes. */
	public static String version() {
		String version = BuildInfo.class.getPackage().getImplementationVersion();
		return version == null ? "development build" : version;
	}

	/** The Java version the jar was built on (from the build's resource), or 0 when unknown. */
	public static int javaVersion() {
		try (InputStream in = BuildInfo.class.getResourceAsStream("/META-INF/plinto-build.properties")) {
			if (in == null) {
				return 0;
			}
			Properties build = new Properties();
			build.load(in);
			String version = build.getProperty("java.specification.version", "");
			return version.matches("\\d+") ? Integer.parseInt(version) : 0;
		}
		catch (IOException e) {
			return 0;
		}
	}
}
