package dev.plinto.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Removes the JAR signatures from the libraries of the extracted jar ({@code target/extracted/lib}), before
 * {@code bin/plinto} trains the JDK's AOT cache on them. Run by {@code bin/plinto} as
 * {@code java -cp target/extracted/plinto.jar dev.plinto.cli.UnsignedLibraries target/extracted/lib}; it is launcher
 * plumbing, not a command of the server.
 * <p>
 * Why: BouncyCastle's {@code bcprov} and the Amazon Corretto Crypto Provider are the signed libraries Plinto ships
 * ({@code bcprov}'s manifest of digests is by far the larger). The JDK verifies a signed JAR when it
 * first reads from it — parsing its 20,000-line manifest of per-entry digests, the PKCS #7 signature block and the
 * signer's certificate chain — and with the AOT cache the JVM reads it while it is still being created, so a
 * signed {@code bcprov} is verified on every start, interpreted, before Plinto's own code: about 0.5 s of a restart
 * on one CPU of the reference machine (docs/benchmarks.md, "AOT cache"). The JDK's AOT cache also cannot hold
 * classes from a signed JAR ("Skipping …: Signed JAR"), so Plinto's Argon2id classes would be loaded from the JAR
 * at every start.
 * <p>
 * Why it is safe: a JAR signature authenticates code only where the JDK enforces it, which is for JCE providers
 * registered through {@code java.security.Security} on JDKs that require signed providers (Oracle's; "How to
 * Implement a Provider in the Java Cryptography Architecture", step "Sign Your JAR File"); Plinto uses
 * BouncyCastle's lightweight API ({@code Argon2BytesGenerator}) and never registers it as a provider, and asks ACCP
 * for {@code java.security} {@code Signature} and {@code KeyFactory} objects directly ({@code crypto.NativeCrypto}),
 * never registering it either. Every class
 * and resource is copied unchanged, and anyone who can change {@code target/extracted/lib} can as well change
 * Plinto's own, unsigned, classes next to it. The JAR specification's "Signed JAR File" section names the
 * signature-related files removed here: {@code META-INF/*.SF}, {@code *.DSA}, {@code *.RSA}, {@code *.EC} and
 * {@code SIG-*}; the manifest keeps its main attributes ({@code Multi-Release} among them) and loses the per-entry
 * digest sections, which only a signature uses.
 */
public final class UnsignedLibraries {

	private UnsignedLibraries() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			System.err.println("usage: UnsignedLibraries <directory of jars>");
			System.exit(2);
		}
		for (Path jar : unsign(Path.of(args[0]))) {
			System.out.println("removed the signature of " + jar.getFileName());
		}
	}

	/** Rewrites every signed jar directly in {@code directory} without its signature; returns the jars rewritten. */
	static List<Path> unsign(Path directory) throws IOException {
		List<Path> rewritten = new ArrayList<>();
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, "*.jar")) {
			for (Path jar : jars) {
				if (isSigned(jar)) {
					rewrite(jar);
					rewritten.add(jar);
				}
			}
		}
		return rewritten;
	}

	/** Whether the entry is one of the signature-related files of the JAR specification. */
	static boolean isSignatureFile(String name) {
		String upper = name.toUpperCase(Locale.ROOT);
		if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
			return false;
		}
		String file = upper.substring("META-INF/".length());
		return file.endsWith(".SF") || file.endsWith(".DSA") || file.endsWith(".RSA") || file.endsWith(".EC")
				|| file.startsWith("SIG-");
	}

	private static boolean isSigned(Path jar) throws IOException {
		try (JarFile file = new JarFile(jar.toFile(), false)) {
			Enumeration<JarEntry> entries = file.entries();
			while (entries.hasMoreElements()) {
				if (isSignatureFile(entries.nextElement().getName())) {
					return true;
				}
			}
			return false;
		}
	}

	/**
	 * Writes the jar anew next to itself, without the signature files and with only the manifest's main attributes,
	 * then moves it over the original, so that an interrupted run leaves the signed original in place.
	 */
	private static void rewrite(Path jar) throws IOException {
		Path tmp = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
		try {
			try (JarFile in = new JarFile(jar.toFile(), false);
					OutputStream file = Files.newOutputStream(tmp);
					JarOutputStream out = new JarOutputStream(file, mainAttributesOnly(in.getManifest()))) {
				Enumeration<JarEntry> entries = in.entries();
				while (entries.hasMoreElements()) {
					JarEntry entry = entries.nextElement();
					String name = entry.getName();
					if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME) || isSignatureFile(name)) {
						continue;
					}
					JarEntry copy = new JarEntry(name);
					copy.setTime(entry.getTime());
					out.putNextEntry(copy);
					try (InputStream data = in.getInputStream(entry)) {
						data.transferTo(out);
					}
					out.closeEntry();
				}
			}
			Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	private static Manifest mainAttributesOnly(Manifest manifest) {
		Manifest main = new Manifest();
		if (manifest != null) {
			main.getMainAttributes().putAll(manifest.getMainAttributes());
		}
		main.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
		return main;
	}
}
