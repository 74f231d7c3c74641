package dev.plinto.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signature removal bin/plinto applies to the extracted libraries, on the real, signed BouncyCastle jar of the
 * test class path.
 */
class UnsignedLibrariesTests {

	@TempDir
	Path dir;

	private static Path bouncyCastleJar() throws Exception {
		return Path.of(Argon2BytesGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	/** The code signers of every class entry, read in full as the JDK must before it can tell. */
	private static List<Object> signersOfClasses(Path jar) throws IOException {
		List<Object> signers = new ArrayList<>();
		try (JarFile file = new JarFile(jar.toFile(), true)) {
			for (JarEntry entry : Collections.list(file.entries())) {
				if (entry.getName().endsWith(".class")) {
					try (InputStream in = file.getInputStream(entry)) {
						in.transferTo(OutputStream.nullOutputStream());
					}
					if (entry.getCodeSigners() != null) {
						signers.add(entry.getCodeSigners());
					}
				}
			}
		}
		return signers;
	}

	private static List<String> names(Path jar) throws IOException {
		try (JarFile file = new JarFile(jar.toFile(), false)) {
			return Collections.list(file.entries()).stream().map(JarEntry::getName).toList();
		}
	}

	@Test
	void unsignWhenJarIsSignedThenSignatureFilesAndDigestsGoAndEveryClassStays() throws Exception {
		Path jar = Files.copy(bouncyCastleJar(), dir.resolve("bcprov.jar"));
		List<String> before = names(jar);
		assertThat(before).anyMatch(UnsignedLibraries::isSignatureFile);
		assertThat(signersOfClasses(jar)).isNotEmpty();
		Attributes mainBefore;
		try (JarFile file = new JarFile(jar.toFile(), false)) {
			mainBefore = file.getManifest().getMainAttributes();
			assertThat(file.getManifest().getEntries()).isNotEmpty();
		}

		assertThat(UnsignedLibraries.unsign(dir)).containsExactly(jar);

		List<String> after = names(jar);
		assertThat(after).noneMatch(UnsignedLibraries::isSignatureFile);
		assertThat(after).containsExactlyElementsOf(
				before.stream().filter(name -> !UnsignedLibraries.isSignatureFile(name)).toList());
		assertThat(signersOfClasses(jar)).isEmpty();
		try (JarFile file = new JarFile(jar.toFile(), true)) {
			assertThat(file.getManifest().getEntries()).isEmpty();
			assertThat(file.getManifest().getMainAttributes()).isEqualTo(mainBefore);
			assertThat(file.isMultiRelease()).isEqualTo(mainBefore.getValue("Multi-Release") != null);
		}
		try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
			Class<?> argon2 = loader.loadClass(Argon2BytesGenerator.class.getName());
			assertThat(argon2.getClassLoader()).isSameAs(loader);
			assertThat(argon2.getProtectionDomain().getCodeSource().getCodeSigners()).isNull();
		}
	}

	@Test
	void unsignWhenJarIsNotSignedThenItIsLeftAlone() throws Exception {
		Path jar = dir.resolve("plain.jar");
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			out.putNextEntry(new JarEntry("a/B.class"));
			out.write(new byte[] { 1, 2, 3 });
			out.closeEntry();
		}
		byte[] bytes = Files.readAllBytes(jar);

		assertThat(UnsignedLibraries.unsign(dir)).isEmpty();

		assertThat(Files.readAllBytes(jar)).isEqualTo(bytes);
	}

	@Test
	void isSignatureFileWhenNamedAsTheJarSpecificationSaysThenTrue() {
		assertThat(List.of("META-INF/BC1024KE.SF", "META-INF/BC1024KE.DSA", "meta-inf/key.rsa", "META-INF/K.EC",
				"META-INF/SIG-FOO"))
			.allMatch(UnsignedLibraries::isSignatureFile);
		assertThat(List.of("META-INF/MANIFEST.MF", "META-INF/versions/9/X.SF", "org/X.SF", "META-INF/LICENSE.md"))
			.noneMatch(UnsignedLibraries::isSignatureFile);
	}
}
