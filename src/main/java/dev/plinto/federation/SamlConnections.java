package dev.plinto.federation;

import com.onelogin.saml2.settings.IdPMetadataParser;
import com.onelogin.saml2.settings.Saml2Settings;
import com.onelogin.saml2.settings.SettingsBuilder;
import com.onelogin.saml2.util.Constants;
import com.onelogin.saml2.util.Util;
import dev.plinto.config.PlintoSettings;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.webhook.EndpointAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * java-saml's settings for each SAML connection: the identity provider from its metadata (XML stored with the
 * connection, or fetched from its URL), and Plinto as the service provider with the connection's own entity ID,
 * Assertion Consumer Service URL and signing key ({@link SamlKeys}).
 *
 * <p>The settings are strict, so java-saml itself checks what the SAML 2.0 Profiles (§4.1.4.3, §4.1.4.2) and the
 * OWASP SAML Security Cheat Sheet ("Validate Message Confidentiality and Integrity", "Protocol Usage") ask of a
 * response: XML schema validation, the signature of the assertion by the certificate of the metadata (an unsigned
 * assertion is refused even inside a signed response: {@code want_assertions_signed}), exactly one assertion and
 * signed elements referenced by ID only (against XML signature wrapping), the {@code Destination}, the
 * {@code Audience} (= the SP entity ID), the bearer {@code SubjectConfirmationData}'s {@code Recipient},
 * {@code NotOnOrAfter} and {@code InResponseTo}, the {@code Conditions} validity window, the issuer, and no
 * deprecated algorithms (SHA-1). AuthnRequests are signed (RSA-SHA256) so an identity provider can tell them from a
 * forged one.
 *
 * <p>Metadata by URL is fetched over https only (plain http with {@code PLINTO_SAML_METADATA_ALLOW_HTTP=true}, for
 * development), with a timeout, a size limit, no redirects, and the address checks of webhooks against server-side
 * request forgery ({@link EndpointAddresses}; OWASP Server-Side Request Forgery Prevention Cheat Sheet); it is kept
 * for {@link #METADATA_TTL} so a slow identity provider does not slow every sign-in. XML is parsed by java-saml's
 * loader, which refuses DTDs and entities (OWASP XML External Entity Prevention Cheat Sheet).
 */
@Component
final class SamlConnections {

	private static final Logger log = LoggerFactory.getLogger(SamlConnections.class);

	/** How long fetched metadata is used before it is fetched again. */
	static final Duration METADATA_TTL = Duration.ofHours(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_METADATA_BYTES = 1_000_000;

	private final ConnectionRepository connections;

	private final SamlKeys keys;

	private final EndpointAddresses addresses;

	private final PlintoSettings settings;

	private final Clock clock;

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(TIMEOUT)
		.build();

	private final Map<String, FetchedMetadata> fetched = new ConcurrentHashMap<>();

	private record FetchedMetadata(String url, Instant at, Map<String, Object> idp) {
	}

	SamlConnections(ConnectionRepository connections, SamlKeys keys, EndpointAddresses addresses,
			PlintoSettings settings, Clock clock) {
		this.connections = connections;
		this.keys = keys;
		this.addresses = addresses;
		this.settings = settings;
		this.clock = clock;
	}

	/** An enabled SAML connection by id. */
	OrganizationConnection find(String connectionId) throws SamlRefusal {
		return connections.findById(connectionId)
			.filter(c -> c.type() == OrganizationConnection.Type.SAML && c.enabled())
			.orElseThrow(() -> new SamlRefusal(SamlRefusal.Reason.UNKNOWN_CONNECTION,
					"no enabled SAML connection " + connectionId));
	}

	/** The SP entity ID of a connection: the URL of its metadata, stable for the connection's life. */
	String entityId(String connectionId) {
		return settings.baseUrl() + "/saml/" + connectionId + "/metadata";
	}

	/** The connection's Assertion Consumer Service URL (HTTP-POST binding). */
	String acsUrl(String connectionId) {
		return settings.baseUrl() + "/saml/" + connectionId + "/acs";
	}

	/** The service provider's half of the settings, enough for the SP metadata. */
	Saml2Settings serviceProvider(OrganizationConnection connection) {
		return new SettingsBuilder().fromValues(spValues(connection)).build();
	}

	/** The full settings: the service provider and the connection's identity provider. */
	Saml2Settings settings(OrganizationConnection connection) throws SamlRefusal {
		Map<String, Object> values = new HashMap<>(identityProvider(connection));
		values.putAll(spValues(connection));
		Saml2Settings built = new SettingsBuilder().fromValues(values).build();
		if (!built.checkIdPSettings().isEmpty()) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA,
					"the identity provider's metadata lacks " + built.checkIdPSettings());
		}
		return built;
	}

	private Map<String, Object> spValues(OrganizationConnection connection) {
		SamlKeys.SpCredentials credentials = keys.of(connection.id());
		Map<String, Object> v = new HashMap<>();
		v.put(SettingsBuilder.STRICT_PROPERTY_KEY, true);
		v.put(SettingsBuilder.DEBUG_PROPERTY_KEY, false);
		v.put(SettingsBuilder.SP_ENTITYID_PROPERTY_KEY, entityId(connection.id()));
		v.put(SettingsBuilder.SP_ASSERTION_CONSUMER_SERVICE_URL_PROPERTY_KEY, acsUrl(connection.id()));
		v.put(SettingsBuilder.SP_ASSERTION_CONSUMER_SERVICE_BINDING_PROPERTY_KEY, Constants.BINDING_HTTP_POST);
		v.put(SettingsBuilder.SP_NAMEIDFORMAT_PROPERTY_KEY, Constants.NAMEID_UNSPECIFIED);
		v.put(SettingsBuilder.SP_X509CERT_PROPERTY_KEY, credentials.certificatePem());
		v.put(SettingsBuilder.SP_PRIVATEKEY_PROPERTY_KEY, credentials.privateKeyPem());
		v.put(SettingsBuilder.SECURITY_AUTHREQUEST_SIGNED, true);
		v.put(SettingsBuilder.SECURITY_WANT_ASSERTIONS_SIGNED, true);
		// The assertion's signature is required; the response's own signature is checked when present, not
		// demanded, since common identity providers (Entra ID, SimpleSAMLphp) sign only the assertion by default.
		v.put(SettingsBuilder.SECURITY_WANT_MESSAGES_SIGNED, false);
		v.put(SettingsBuilder.SECURITY_WANT_NAMEID, true);
		v.put(SettingsBuilder.SECURITY_WANT_XML_VALIDATION, true);
		v.put(SettingsBuilder.SECURITY_REJECT_DEPRECATED_ALGORITHM, true);
		v.put(SettingsBuilder.SECURITY_REJECT_UNSOLICITED_RESPONSES_WITH_INRESPONSETO, true);
		v.put(SettingsBuilder.SECURITY_SIGNATURE_ALGORITHM, Constants.RSA_SHA256);
		v.put(SettingsBuilder.SECURITY_DIGEST_ALGORITHM, Constants.SHA256);
		v.put(SettingsBuilder.SECURITY_REQUESTED_AUTHNCONTEXT, "");
		v.put(SettingsBuilder.UNIQUE_ID_PREFIX_PROPERTY_KEY, "PLINTO_");
		return v;
	}

	private Map<String, Object> identityProvider(OrganizationConnection connection) throws SamlRefusal {
		String xml = connection.samlMetadataXml();
		if (xml != null && !xml.isBlank()) {
			return parse(xml, connection.id());
		}
		String url = connection.samlMetadataUrl();
		if (url == null || url.isBlank()) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, "the connection has no identity provider metadata");
		}
		FetchedMetadata cached = fetched.get(connection.id());
		Instant now = clock.instant();
		if (cached != null && cached.url().equals(url) && cached.at().plus(METADATA_TTL).isAfter(now)) {
			return cached.idp();
		}
		Map<String, Object> idp = parse(fetch(url), connection.id());
		fetched.put(connection.id(), new FetchedMetadata(url, now, idp));
		return idp;
	}

	private String fetch(String url) throws SamlRefusal {
		URI uri;
		try {
			uri = URI.create(url.trim());
		}
		catch (IllegalArgumentException e) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, "the metadata URL is not a URL");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !(settings.saml().metadataAllowHttp() && scheme.equals("http"))) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA,
					"the metadata URL must be https (plain http needs PLINTO_SAML_METADATA_ALLOW_HTTP=true)");
		}
		if (uri.getHost() == null || uri.getRawUserInfo() != null) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, "the metadata URL must name a host, without user info");
		}
		try {
			addresses.checkBeforeDelivery(uri);
		}
		catch (EndpointAddresses.Refused e) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, e.getMessage());
		}
		try {
			HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET()
				.header("Accept", "application/samlmetadata+xml, application/xml, text/xml").build(),
					HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				if (response.statusCode() != 200) {
					throw new SamlRefusal(SamlRefusal.Reason.METADATA,
							"the metadata URL answered " + response.statusCode());
				}
				byte[] bytes = body.readNBytes(MAX_METADATA_BYTES + 1);
				if (bytes.length > MAX_METADATA_BYTES) {
					throw new SamlRefusal(SamlRefusal.Reason.METADATA, "the metadata is larger than 1 MB");
				}
				return new String(bytes, StandardCharsets.UTF_8);
			}
		}
		catch (IOException e) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, "the metadata URL could not be read: " + e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, "interrupted while fetching the metadata");
		}
	}

	private static Map<String, Object> parse(String xml, String connectionId) throws SamlRefusal {
		Document document = Util.loadXML(xml);
		if (document == null) {
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, "the metadata is not well-formed XML");
		}
		try {
			Map<String, Object> idp = IdPMetadataParser.parseXML(document, null, null,
					Constants.BINDING_HTTP_REDIRECT, Constants.BINDING_HTTP_REDIRECT);
			if (!idp.containsKey(SettingsBuilder.IDP_ENTITYID_PROPERTY_KEY)) {
				throw new SamlRefusal(SamlRefusal.Reason.METADATA,
						"the metadata has no IDPSSODescriptor with an HTTP-Redirect SingleSignOnService");
			}
			return idp;
		}
		catch (javax.xml.xpath.XPathException e) {
			log.info("The SAML metadata of connection {} could not be read: {}", connectionId, e.getMessage());
			throw new SamlRefusal(SamlRefusal.Reason.METADATA, "the metadata could not be read");
		}
	}
}
