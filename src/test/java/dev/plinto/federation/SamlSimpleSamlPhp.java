package dev.plinto.federation;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's SimpleSAMLphp as a SAML 2.0 identity provider on loopback: a configuration written to a temporary
 * directory (its {@code config.php} found through {@code SIMPLESAMLPHP_CONFIG_DIR}), the {@code exampleauth:UserPass}
 * users given by the test with their attributes, a hosted IdP signing with a key made here, and the service providers
 * the test registers from their metadata; served from {@code /usr/share/simplesamlphp/www} by {@code php -S}.
 * Without the packages the calling test is skipped with a notice; with {@code CI} set it fails ({@code .ci/run}
 * installs simplesamlphp, php-cli and php-xml).
 */
final class SamlSimpleSamlPhp implements AutoCloseable {

	static final Path WWW = Path.of("/usr/share/simplesamlphp/www");

	final int port;

	final Path dir;

	private final Process process;

	private SamlSimpleSamlPhp(int port, Path dir, Process process) {
		this.port = port;
		this.dir = dir;
		this.process = process;
	}

	/** The IdP's base URL, e.g. {@code http://127.0.0.1:18850}. */
	String base() {
		return "http://127.0.0.1:" + port;
	}

	/** The IdP's metadata URL, which is also its entity ID. */
	String metadataUrl() {
		return base() + "/saml2/idp/metadata.php";
	}

	/**
	 * Writes the configuration and starts the server. {@code users} is the PHP array body of the
	 * {@code exampleauth:UserPass} source ({@code 'name:password' => [attributes]}).
	 */
	static SamlSimpleSamlPhp start(int port, String users) {
		Path php = executable();
		if (php == null || !Files.isDirectory(WWW)) {
			if (System.getenv("CI") != null) {
				fail("SimpleSAMLphp is not installed, but CI requires the SAML browser test to run (.ci/run installs "
						+ "simplesamlphp, php-cli and php-xml with apt-get)");
			}
			System.err.println("NOTICE: SAML browser test skipped; install simplesamlphp, php-cli and php-xml (Debian: "
					+ "apt-get install simplesamlphp php-cli php-xml) to run it.");
			Assumptions.abort("simplesamlphp or php not installed");
		}
		try {
			Path dir = Files.createTempDirectory("plinto-simplesamlphp");
			for (String sub : new String[] { "config", "metadata", "cert", "log", "data", "tmp" }) {
				Files.createDirectories(dir.resolve(sub));
			}
			SamlTestIdentityProvider keys = new SamlTestIdentityProvider("unused", "unused");
			Files.writeString(dir.resolve("cert/idp.pem"), pem(keys.keys.getPrivate()));
			Files.writeString(dir.resolve("cert/idp.crt"), pem(keys.certificate));
			String base = "http://127.0.0.1:" + port;
			Files.writeString(dir.resolve("config/config.php"), """
					<?php
					$config = [
					    'baseurlpath' => '%1$s/',
					    'certdir' => '%2$s/cert/',
					    'loggingdir' => '%2$s/log/',
					    'datadir' => '%2$s/data/',
					    'tempdir' => '%2$s/tmp',
					    'metadatadir' => '%2$s/metadata',
					    'technicalcontact_name' => 'Plinto tests',
					    'technicalcontact_email' => 'tests@example.org',
					    'timezone' => 'UTC',
					    'secretsalt' => '%3$s',
					    'auth.adminpassword' => '%3$s',
					    'admin.protectindexpage' => true,
					    'admin.protectmetadata' => false,
					    'admin.checkforupdates' => false,
					    'enable.saml20-idp' => true,
					    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
					    'logging.level' => SimpleSAML\\Logger::INFO,
					    'logging.handler' => 'file',
					    'logging.logfile' => 'simplesamlphp.log',
					    'session.cookie.secure' => false,
					    'session.cookie.samesite' => 'Lax',
					    'language.cookie.secure' => false,
					    'store.type' => 'phpsession',
					    'session.phpsession.savepath' => '%2$s/tmp',
					    'production' => true,
					    'showerrors' => true,
					    'errorreporting' => false,
					];
					""".formatted(base, dir, java.util.UUID.randomUUID()));
			Files.writeString(dir.resolve("config/authsources.php"), """
					<?php
					$config = [
					    'users' => [
					        'exampleauth:UserPass',
					%s
					    ],
					];
					""".formatted(users));
			Files.writeString(dir.resolve("metadata/saml20-idp-hosted.php"), """
					<?php
					$metadata['__DYNAMIC:1__'] = [
					    'host' => '__DEFAULT__',
					    'privatekey' => 'idp.pem',
					    'certificate' => 'idp.crt',
					    'auth' => 'users',
					    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
					];
					""");
			Files.writeString(dir.resolve("metadata/saml20-sp-remote.php"), "<?php\n");
			ProcessBuilder builder = new ProcessBuilder(php.toString(), "-S", "127.0.0.1:" + port, "-t",
					WWW.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log/php.log").toFile());
			builder.environment().put("SIMPLESAMLPHP_CONFIG_DIR", dir.resolve("config").toString());
			SamlSimpleSamlPhp idp = new SamlSimpleSamlPhp(port, dir, builder.start());
			HttpClient http = HttpClient.newHttpClient();
			Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http
				.send(HttpRequest.newBuilder(URI.create(idp.metadataUrl())).build(),
						HttpResponse.BodyHandlers.ofString())
				.body()
				.contains("IDPSSODescriptor"));
			return idp;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * Registers a service provider: its entity ID, its ACS (HTTP-POST) and its signing certificate (base64 DER),
	 * with signed AuthnRequests required, the NameID taken from the {@code email} attribute.
	 */
	void registerServiceProvider(String entityId, String acsUrl, String certificateBase64) {
		try {
			Files.writeString(dir.resolve("metadata/saml20-sp-remote.php"), """
					<?php
					$metadata['%s'] = [
					    'AssertionConsumerService' => [[
					        'Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
					        'Location' => '%s',
					    ]],
					    'certData' => '%s',
					    'validate.authnrequest' => true,
					    'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
					    'simplesaml.nameidattribute' => 'email',
					    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
					];
					""".formatted(entityId, acsUrl, certificateBase64));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The IdP's own log, for a failing test's message. */
	String log() {
		try (Stream<Path> files = Files.list(dir.resolve("log"))) {
			StringBuilder out = new StringBuilder();
			for (Path file : files.toList()) {
				out.append("== ").append(file.getFileName()).append('\n').append(Files.readString(file));
			}
			return out.toString();
		}
		catch (IOException e) {
			return e.toString();
		}
	}

	@Override
	public void close() {
		process.destroy();
		try {
			process.waitFor();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException e) {
			// a temporary directory: left for the system to clean
		}
	}

	private static Path executable() {
		for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "php"))) {
				return Path.of(entry, "php");
			}
		}
		return Files.isExecutable(Path.of("/usr/bin/php")) ? Path.of("/usr/bin/php") : null;
	}

	private static String pem(Object object) throws IOException {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(object);
		}
		return out.toString();
	}
}
