package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.onelogin.saml2.util.Util;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.crypto.SecretBox;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.w3c.dom.Document;

/**
 * The SAML 2.0 service provider through the real server, against an identity provider inside the test
 * ({@link SamlTestIdentityProvider}): the SP metadata, the signed AuthnRequest of an SP-initiated sign-in, and the
 * refusal of every response Plinto must not accept — unsigned, signed by another key, for another audience,
 * expired, answered twice, from another browser, unsolicited, and with wrapped signatures (XSW).
 */
class SamlServiceProviderTests extends ApiTestSupport {

	@Autowired
	ConnectionRepository connections;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SecretBox box;

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private SamlTestIdentityProvider idp;

	private String connectionId;

	private String organizationId;

	@BeforeEach
	void connection() {
		idp = SamlTestIdentityProvider.create();
		Account owner = account();
		organizationId = api.post("/v1/organizations", ApiClient.map("name", "Acme"), owner.token()).text("id");
		connectionId = "con_" + java.util.UUID.randomUUID().toString().replace("-", "");
		Instant now = clock.instant();
		connections.insert(new OrganizationConnection(connectionId, organizationId, OrganizationConnection.Type.SAML,
				"Acme IdP", true, null, null, null, null, idp.metadata(),
				"{\"email\":\"email\",\"name\":\"displayName\",\"groups\":\"groups\","
						+ "\"roles\":{\"admins\":\"admin\"}}",
				"member", null, null, now, now));
	}

	private String entityId() {
		return "http://localhost:8080/saml/" + connectionId + "/metadata";
	}

	private String acsUrl() {
		return "http://localhost:8080/saml/" + connectionId + "/acs";
	}

	@Test
	void metadataWhenConnectionIsSamlThenNamesEntityIdAcsAndSigningCertificate() throws Exception {
		HttpResponse<String> metadata = get("/saml/" + connectionId + "/metadata", null);

		assertThat(metadata.statusCode()).isEqualTo(200);
		assertThat(metadata.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/samlmetadata+xml"));
		assertThat(metadata.body()).contains("entityID=\"" + entityId() + "\"")
			.contains("AuthnRequestsSigned=\"true\"")
			.contains("WantAssertionsSigned=\"true\"")
			.contains("Location=\"" + acsUrl() + "\"")
			.contains("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
			.contains("<md:KeyDescriptor use=\"signing\">");
		// Stable: the same entity ID and certificate on every read, valid as long as the certificate.
		assertThat(certificate(get("/saml/" + connectionId + "/metadata", null).body()))
			.isEqualTo(certificate(metadata.body()));
		assertThat(metadata.body()).contains("validUntil=\"" + spCertificate().getNotAfter().toInstant());
	}

	@Test
	void metadataWhenConnectionIsUnknownThenErrorPage404() throws Exception {
		HttpResponse<String> response = get("/saml/con_unknown/metadata", null);

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("This sign-in connection does not exist or is turned off.");
	}

	@Test
	void spKeyWhenStoredThenPrivateKeySealedWithTheMasterKey() throws Exception {
		get("/saml/" + connectionId + "/metadata", null);

		String stored = jdbc.sql("select private_key from saml_sp_keys where connection_id = :id")
			.param("id", connectionId)
			.query(String.class)
			.single();
		assertThat(stored).doesNotContain("PRIVATE KEY");
		assertThat(box.open(stored, "saml-sp-key:" + connectionId)).startsWith("-----BEGIN PRIVATE KEY-----");
	}

	@Test
	void startWhenCalledThenRedirectsToTheIdpWithASignedAuthnRequestAndBindsTheBrowser() throws Exception {
		Start start = start();

		Map<String, String> query = start.query();
		assertThat(start.location()).startsWith(idp.ssoUrl + "?SAMLRequest=");
		assertThat(query.get("SigAlg")).isEqualTo("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
		String xml = Util.base64decodedInflated(query.get("SAMLRequest"));
		assertThat(xml).contains("AssertionConsumerServiceURL=\"" + acsUrl() + "\"")
			.contains("Destination=\"" + idp.ssoUrl + "\"")
			.contains(">" + entityId() + "</saml:Issuer>");
		// SAML 2.0 Bindings §3.4.4.1: the signature covers SAMLRequest and SigAlg as they appear in the query.
		String rawQuery = URI.create(start.location()).getRawQuery();
		String signed = rawQuery.substring(0, rawQuery.indexOf("&Signature="));
		Signature rsa = Signature.getInstance("SHA256withRSA");
		rsa.initVerify(spCertificate());
		rsa.update(signed.getBytes(StandardCharsets.UTF_8));
		assertThat(rsa.verify(Base64.getDecoder().decode(query.get("Signature")))).isTrue();
		assertThat(start.setCookie()).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
	}

	@Test
	void acsWhenResponseIsValidThenJitAccountJoinsTheOrganizationWithTheMappedRoleAndSessionCarriesIt()
			throws Exception {
		Start start = start();
		String email = newEmail();
		SamlTestIdentityProvider.Response response = idp.response(entityId(), acsUrl(), start.requestId(), email)
			.attribute("displayName", "Ada Lovelace")
			.attribute("groups", "engineers", "admins");

		HttpResponse<String> signedIn = post(response.encoded(), start.cookie());

		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
		assertThat(signedIn.headers().firstValue("Location")).hasValue("http://localhost:8080/account");
		String sessionJwt = signedIn.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(c -> c.startsWith("plinto_session="))
			.map(c -> c.substring("plinto_session=".length(), c.indexOf(';')))
			.findFirst()
			.orElseThrow();
		assertThat(signedIn.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("plinto_refresh="));
		var claims = ApiClient.claims(sessionJwt);
		assertThat(claims.get("org_id").asString()).isEqualTo(organizationId);
		assertThat(claims.get("org_role").asString()).isEqualTo("admin");
		assertThat(jdbc.sql("select u.name from users u where u.email = :email")
			.param("email", email)
			.query(String.class)
			.single()).isEqualTo("Ada Lovelace");
		assertThat(jdbc.sql("select m.role_key from organization_memberships m join users u on u.id = m.user_id "
				+ "where u.email = :email and m.organization_id = :org")
			.param("email", email)
			.param("org", organizationId)
			.query(String.class)
			.single()).isEqualTo("admin");
		assertThat(jdbc.sql("select subject from user_identities where provider = :provider")
			.param("provider", "connection:" + connectionId)
			.query(String.class)
			.single()).isEqualTo(email);
	}

	@Test
	void acsWhenNoGroupIsMappedThenTheConnectionsDefaultRole() throws Exception {
		Start start = start();
		String email = newEmail();

		HttpResponse<String> signedIn = post(idp.response(entityId(), acsUrl(), start.requestId(), email)
			.attribute("groups", "engineers")
			.encoded(), start.cookie());

		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
		assertThat(jdbc.sql("select m.role_key from organization_memberships m join users u on u.id = m.user_id "
				+ "where u.email = :email and m.organization_id = :org")
			.param("email", email)
			.param("org", organizationId)
			.query(String.class)
			.single()).isEqualTo("member");
	}

	@Test
	void acsWhenTheAssertedEmailBelongsToAnExistingAccountOfAnUnverifiedDomainThenNotLinked() throws Exception {
		Account victim = account();
		Start start = start();

		HttpResponse<String> response = post(idp.response(entityId(), acsUrl(), start.requestId(), victim.email())
			.encoded(), start.cookie());

		// The connection's organization has not verified example.com: its IdP cannot vouch for that address.
		assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
		assertThat(response.body()).contains("An account with this email address already exists.");
		assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("plinto_refresh="));
		assertThat(jdbc.sql("select count(*) from user_identities where provider = :provider")
			.param("provider", "connection:" + connectionId)
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void startWhenMetadataUrlIsPlainHttpOrInternalThenRefusedWithoutFetching() throws Exception {
		for (String url : new String[] { "http://idp.example.test/metadata", "https://127.0.0.1:18859/metadata" }) {
			String id = "con_" + java.util.UUID.randomUUID().toString().replace("-", "");
			Instant now = clock.instant();
			connections.insert(new OrganizationConnection(id, organizationId, OrganizationConnection.Type.SAML,
					"By URL", true, null, null, null, url, null, "{}", "member", null, null, now, now));

			HttpResponse<String> response = get("/saml/" + id + "/start", null);

			assertThat(response.statusCode()).as(url).isEqualTo(502);
			assertThat(response.body()).contains("could not read the identity provider");
		}
	}

	@Test
	void acsWhenResponseIsUnsignedThenRefused() throws Exception {
		Start start = start();
		SamlTestIdentityProvider.Response response = idp.response(entityId(), acsUrl(), start.requestId(),
				newEmail());
		response.signAssertion = false;

		assertRefused(post(response.encoded(), start.cookie()), 400,
				"is not signed by the identity provider this connection trusts");
	}

	@Test
	void acsWhenSignedByAnotherKeyThenRefused() throws Exception {
		Start start = start();
		SamlTestIdentityProvider.Response response = idp.response(entityId(), acsUrl(), start.requestId(),
				newEmail());
		SamlTestIdentityProvider impostor = SamlTestIdentityProvider.create();
		response.signingKeys = impostor.keys;
		response.signingCertificate = impostor.certificate;

		assertRefused(post(response.encoded(), start.cookie()), 400,
				"is not signed by the identity provider this connection trusts");
	}

	@Test
	void acsWhenAudienceIsAnotherServiceProviderThenRefused() throws Exception {
		Start start = start();
		SamlTestIdentityProvider.Response response = idp.response(entityId(), acsUrl(), start.requestId(),
				newEmail());
		response.audience = "https://another-app.example/saml/metadata";

		assertRefused(post(response.encoded(), start.cookie()), 400, "was meant for another service");
	}

	@Test
	void acsWhenDestinationIsAnotherAcsThenRefused() throws Exception {
		Start start = start();
		SamlTestIdentityProvider.Response response = idp.response(entityId(), acsUrl(), start.requestId(),
				newEmail());
		response.destination = "https://another-app.example/saml/acs";

		assertRefused(post(response.encoded(), start.cookie()), 400, "was meant for another service");
	}

	@Test
	void acsWhenAssertionHasExpiredThenRefused() throws Exception {
		Start start = start();
		SamlTestIdentityProvider.Response response = idp.response(entityId(), acsUrl(), start.requestId(),
				newEmail());
		response.issueInstant = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		response.notBefore = response.issueInstant.minus(Duration.ofMinutes(1));
		response.notOnOrAfter = response.issueInstant.plus(Duration.ofMinutes(5));

		assertRefused(post(response.encoded(), start.cookie()), 400, "has expired");
	}

	@Test
	void acsWhenTheSameResponseIsPostedTwiceThenTheSecondIsRefused() throws Exception {
		Start start = start();
		String encoded = idp.response(entityId(), acsUrl(), start.requestId(), newEmail()).encoded();
		assertThat(post(encoded, start.cookie()).statusCode()).isEqualTo(303);

		assertRefused(post(encoded, start.cookie()), 400, "has expired or was started in another browser");
	}

	@Test
	void acsWhenPostedFromAnotherBrowserThenRefused() throws Exception {
		Start start = start();
		String encoded = idp.response(entityId(), acsUrl(), start.requestId(), newEmail()).encoded();

		assertRefused(post(encoded, null), 400, "has expired or was started in another browser");
		// The request was used up by the attempt: the right browser cannot finish it afterwards either.
		assertRefused(post(encoded, start.cookie()), 400, "has expired or was started in another browser");
	}

	@Test
	void acsWhenInResponseToNamesNoRequestThenRefused() throws Exception {
		Start start = start();
		String encoded = idp.response(entityId(), acsUrl(), "PLINTO_never_sent", newEmail()).encoded();

		assertRefused(post(encoded, start.cookie()), 400, "has expired or was started in another browser");
	}

	@Test
	void acsWhenUnsolicitedAndIdpInitiatedIsOffThenRefused() throws Exception {
		String encoded = idp.response(entityId(), acsUrl(), null, newEmail()).encoded();

		assertRefused(post(encoded, null), 400, "Plinto did not start this sign-in");
	}

	@Test
	void acsWhenASecondUnsignedAssertionIsAddedThenRefused() throws Exception {
		Start start = start();
		SamlTestIdentityProvider.Response genuine = idp.response(entityId(), acsUrl(), start.requestId(),
				"employee@acme.example");
		SamlTestIdentityProvider.Response evil = idp.response(entityId(), acsUrl(), start.requestId(),
				"attacker@evil.example");
		evil.signAssertion = false;
		// XSW: the attacker's unsigned assertion first, the genuine signed one after it.
		String xml = genuine.responseXml(evil.assertion() + genuine.assertion());

		assertRefused(post(SamlTestIdentityProvider.Response.encode(xml), start.cookie()), 400,
				"could not be accepted");
	}

	@Test
	void acsWhenTheSignedAssertionIsMovedAndReplacedThenRefused() throws Exception {
		Start start = start();
		SamlTestIdentityProvider.Response genuine = idp.response(entityId(), acsUrl(), start.requestId(),
				"employee@acme.example");
		String signed = genuine.assertion();
		SamlTestIdentityProvider.Response evil = idp.response(entityId(), acsUrl(), start.requestId(),
				"attacker@evil.example");
		evil.signAssertion = false;
		evil.assertionId = genuine.assertionId;
		// XSW: the evil assertion, with the genuine one's ID, where the assertion belongs; the signed original hidden
		// inside the response's Extensions, where its signature still verifies by reference.
		String xml = genuine.responseXml(evil.assertion())
			.replace("<samlp:Status>", "<samlp:Extensions>" + signed + "</samlp:Extensions><samlp:Status>");

		assertRefused(post(SamlTestIdentityProvider.Response.encode(xml), start.cookie()), 400,
				"could not be accepted");
	}

	@Test
	void acsWhenNotBase64XmlThenRefused() throws Exception {
		assertRefused(post("not a saml response", null), 400, "could not be accepted");
	}

	private void assertRefused(HttpResponse<String> response, int status, String sentence) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains(sentence);
		assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains("plinto_refresh="));
	}

	/** An SP-initiated sign-in started: the IdP URL, the AuthnRequest's ID, and the browser's cookie. */
	record Start(String location, String requestId, String cookie, String setCookie) {

		Map<String, String> query() {
			Map<String, String> query = new LinkedHashMap<>();
			for (String pair : URI.create(location).getRawQuery().split("&")) {
				String[] kv = pair.split("=", 2);
				query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
			}
			return query;
		}
	}

	private Start start() throws Exception {
		HttpResponse<String> response = get("/saml/" + connectionId + "/start?redirect_url=%2Faccount", null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
		String location = response.headers().firstValue("Location").orElseThrow();
		String setCookie = response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter(c -> c.startsWith("plinto_saml="))
			.findFirst()
			.orElseThrow();
		Start start = new Start(location, null, setCookie.split(";", 2)[0], setCookie);
		Document request = Util.loadXML(Util.base64decodedInflated(start.query().get("SAMLRequest")));
		return new Start(location, request.getDocumentElement().getAttribute("ID"), start.cookie(), setCookie);
	}

	private X509Certificate spCertificate() throws Exception {
		return Util.loadCert(certificate(get("/saml/" + connectionId + "/metadata", null).body()));
	}

	private static String certificate(String metadata) {
		Matcher m = Pattern.compile("<ds:X509Certificate>([^<]+)</ds:X509Certificate>").matcher(metadata);
		assertThat(m.find()).isTrue();
		return m.group(1).replaceAll("\\s", "");
	}

	private HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
		Optional.ofNullable(cookie).ifPresent(c -> request.header("Cookie", c));
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The identity provider's page posting the response to the ACS, from its own origin. */
	HttpResponse<String> post(String samlResponse, String cookie) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/saml/" + connectionId + "/acs"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", "https://idp.example.test")
			.POST(HttpRequest.BodyPublishers.ofString("SAMLResponse="
					+ URLEncoder.encode(samlResponse, StandardCharsets.UTF_8) + "&RelayState="));
		Optional.ofNullable(cookie).ifPresent(c -> request.header("Cookie", c));
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}
}
