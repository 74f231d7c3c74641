package dev.plinto.federation;

import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import com.onelogin.saml2.util.Util;
import org.springframework.stereotype.Component;

/**
 * The service provider's signing key of each SAML connection, made on first use: an RSA 3072-bit key (NIST SP 800-57
 * Part 1 Rev. 5 §5.6.1: 128-bit security) and a self-signed X.509 certificate that carries it in the SP metadata.
 * SAML uses the certificate only as a container of the public key (SAML 2.0 Metadata §2.4.1.1, {@code KeyDescriptor};
 * the identity provider trusts it because an administrator registered the metadata), so no CA is involved. The
 * private key is sealed at rest with the master key ({@link SecretBox}, associated data {@code saml-sp-key:} + the
 * connection's id) and re-sealed by {@code plinto master-key rotate} ({@link #SEALED}).
 */
@Component
final class SamlKeys {

	/** The sealed column, declared so that master-key rotation re-seals it. */
	static final SealedColumn SEALED = new SealedColumn("saml_sp_keys", "connection_id", "private_key",
			"saml-sp-key:");

	@org.springframework.context.annotation.Bean
	static SealedColumn samlSpKeys() {
		return SEALED;
	}

	/** How long the self-signed certificate is valid; identity providers that check dates see a long-lived key. */
	private static final Duration VALIDITY = Duration.ofDays(3650);

	private final SamlRepository repository;

	private final SecretBox box;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	SamlKeys(SamlRepository repository, SecretBox box, Clock clock) {
		this.repository = repository;
		this.box = box;
		this.clock = clock;
	}

	/** A connection's key pair, as PEM texts java-saml reads. */
	record SpCredentials(String certificatePem, String privateKeyPem) {

		@Override
		public String toString() {
			return "SpCredentials[certificate]"; // never the private key
		}
	}

	/** The connection's key, made and stored now if it has none. */
	SpCredentials of(String connectionId) {
		SamlRepository.SpKey key = repository.findKey(connectionId).orElseGet(() -> {
			repository.insertKey(generate(connectionId));
			// Another node may have stored its key first: the stored one is the key from now on.
			return repository.findKey(connectionId).orElseThrow();
		});
		return new SpCredentials(key.certificatePem(),
				box.open(key.sealedPrivateKey(), SEALED.associatedData(connectionId)));
	}

	private SamlRepository.SpKey generate(String connectionId) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(3072, random);
			KeyPair pair = generator.generateKeyPair();
			Instant now = clock.instant();
			X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "Plinto SAML service provider")
				.addRDN(BCStyle.OU, connectionId.length() <= 64 ? connectionId : connectionId.substring(0, 64))
				.build();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
					new BigInteger(128, random).abs(), Date.from(now.minus(Duration.ofDays(1))),
					Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
			X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
					builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
			String privatePem = pem(pair.getPrivate());
			return new SamlRepository.SpKey(connectionId, Util.convertToPem(certificate),
					box.seal(privatePem, SEALED.associatedData(connectionId)), now);
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException e) {
			throw new IllegalStateException("could not make the SAML service provider's key", e);
		}
	}

	private static String pem(PrivateKey key) throws IOException {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			// PKCS#8 ("BEGIN PRIVATE KEY"), the form java-saml's Util.loadPrivateKey reads.
			writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
		}
		return out.toString();
	}
}
