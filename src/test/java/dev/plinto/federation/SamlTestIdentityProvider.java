package dev.plinto.federation;

import com.onelogin.saml2.util.Constants;
import com.onelogin.saml2.util.Util;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An identity provider inside the test: its own RSA key and self-signed certificate, its metadata, and SAML
 * responses written by hand and signed with java-saml's XML signature (Apache Santuario), so that a test can send
 * Plinto both valid responses and every kind it must refuse (unsigned, for another audience, expired, signed by
 * another key, with wrapped signatures).
 */
final class SamlTestIdentityProvider {

	final String entityId;

	final String ssoUrl;

	final KeyPair keys;

	final X509Certificate certificate;

	SamlTestIdentityProvider(String entityId, String ssoUrl) {
		this.entityId = entityId;
		this.ssoUrl = ssoUrl;
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.keys = generator.generateKeyPair();
			X500Name name = new X500Name("CN=Test identity provider");
			Instant now = Instant.now();
			this.certificate = new JcaX509CertificateConverter()
				.getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
						Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), name,
						keys.getPublic())
					.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	static SamlTestIdentityProvider create() {
		String host = "https://idp-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
		return new SamlTestIdentityProvider(host + "/saml/metadata", host + "/saml/sso");
	}

	/** The identity provider's metadata, as an administrator would register it with the connection. */
	String metadata() {
		String cert = Base64.getEncoder().encodeToString(encoded());
		return """
				<?xml version="1.0"?>
				<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
				  <md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
				    <md:KeyDescriptor use="signing">
				      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
				        <ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data>
				      </ds:KeyInfo>
				    </md:KeyDescriptor>
				    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
				    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%s"/>
				  </md:IDPSSODescriptor>
				</md:EntityDescriptor>
				""".formatted(entityId, cert, ssoUrl);
	}

	private byte[] encoded() {
		try {
			return certificate.getEncoded();
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	/** A response to build: valid by default for the given SP, changed field by field by a test. */
	Response response(String spEntityId, String acsUrl, String inResponseTo, String email) {
		return new Response(this, spEntityId, acsUrl, inResponseTo, email);
	}

	static final class Response {

		private final SamlTestIdentityProvider idp;

		String responseId = "_r" + UUID.randomUUID();

		String assertionId = "_a" + UUID.randomUUID();

		String issuer;

		String audience;

		String destination;

		String recipient;

		String inResponseTo;

		String nameId;

		Instant issueInstant = Instant.now().truncatedTo(ChronoUnit.SECONDS);

		Instant notBefore = issueInstant.minus(Duration.ofMinutes(1));

		Instant notOnOrAfter = issueInstant.plus(Duration.ofMinutes(5));

		Map<String, List<String>> attributes = new LinkedHashMap<>();

		boolean signAssertion = true;

		KeyPair signingKeys;

		X509Certificate signingCertificate;

		Response(SamlTestIdentityProvider idp, String spEntityId, String acsUrl, String inResponseTo, String email) {
			this.idp = idp;
			this.issuer = idp.entityId;
			this.audience = spEntityId;
			this.destination = acsUrl;
			this.recipient = acsUrl;
			this.inResponseTo = inResponseTo;
			this.nameId = email;
			this.signingKeys = idp.keys;
			this.signingCertificate = idp.certificate;
			attributes.put("email", List.of(email));
		}

		Response attribute(String name, String... values) {
			attributes.put(name, List.of(values));
			return this;
		}

		/** The assertion alone, signed unless {@link #signAssertion} is off. */
		String assertion() {
			String inResponse = inResponseTo == null ? "" : " InResponseTo=\"" + inResponseTo + "\"";
			StringBuilder attributeXml = new StringBuilder();
			attributes.forEach((name, values) -> {
				attributeXml.append("<saml:Attribute Name=\"").append(name)
					.append("\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\">");
				for (String value : values) {
					attributeXml.append("<saml:AttributeValue xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
							+ "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\">")
						.append(value)
						.append("</saml:AttributeValue>");
				}
				attributeXml.append("</saml:Attribute>");
			});
			String xml = """
					<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="%s" Version="2.0" IssueInstant="%s"><saml:Issuer>%s</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">%s</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="%s" Recipient="%s"%s/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="%s" NotOnOrAfter="%s"><saml:AudienceRestriction><saml:Audience>%s</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="%s" SessionIndex="_s%s"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>%s</saml:AttributeStatement></saml:Assertion>"""
				.formatted(assertionId, issueInstant, issuer, nameId, notOnOrAfter, recipient, inResponse, notBefore,
						notOnOrAfter, audience, issueInstant, UUID.randomUUID(), attributeXml);
			return signAssertion ? body(sign(xml)) : xml;
		}

		/** The whole response with the given assertion XML (or assertions, for wrapping attacks). */
		String responseXml(String assertions) {
			String inResponse = inResponseTo == null ? "" : " InResponseTo=\"" + inResponseTo + "\"";
			return """
					<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="%s" Version="2.0" IssueInstant="%s" Destination="%s"%s><saml:Issuer>%s</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>%s</samlp:Response>"""
				.formatted(responseId, issueInstant, destination, inResponse, issuer, assertions);
		}

		/** The base64 {@code SAMLResponse} form field. */
		String encoded() {
			return encode(responseXml(assertion()));
		}

		static String encode(String xml) {
			return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
		}

		private String sign(String xml) {
			try {
				return Util.addSign(Util.loadXML(xml), signingKeys.getPrivate(), signingCertificate,
						Constants.RSA_SHA256, Constants.SHA256);
			}
			catch (Exception e) {
				throw new IllegalStateException(e);
			}
		}
	}

	/** Removes the XML declaration java-saml writes, so that a signed element can be embedded. */
	static String body(String xml) {
		return xml.replaceFirst("^<\\?xml[^>]*\\?>\\s*", "");
	}
}
