package dev.plinto.federation;

import com.onelogin.saml2.authn.AuthnRequest;
import com.onelogin.saml2.authn.AuthnRequestParams;
import com.onelogin.saml2.authn.SamlResponse;
import com.onelogin.saml2.exception.ValidationError;
import com.onelogin.saml2.settings.Metadata;
import com.onelogin.saml2.settings.Saml2Settings;
import com.onelogin.saml2.util.Util;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.OrganizationConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.w3c.dom.Document;

/**
 * SP-initiated SAML 2.0 Web Browser SSO (SAML 2.0 Profiles §4.1): a signed AuthnRequest sent with the HTTP-Redirect
 * binding (Bindings §3.4.4.1), and the response received with the HTTP-POST binding at the connection's Assertion
 * Consumer Service, validated by java-saml in strict mode ({@link SamlConnections}). On top of java-saml, Plinto:
 * <ul>
 * <li>binds each request to the browser that started it: the AuthnRequest's ID is stored with the SHA-256 of a
 * random value kept in that browser's cookie, and a response is accepted only with an {@code InResponseTo} that
 * names a pending request of the same connection and the same browser, once (the request is deleted when used;
 * OWASP SAML Security Cheat Sheet, "Validate Protocol Usage": InResponseTo, and Profiles §4.1.4.3);</li>
 * <li>refuses unsolicited (IdP-initiated) responses unless {@code PLINTO_SAML_IDP_INITIATED=true}: without a
 * request there is no InResponseTo to tie the answer to the browser, so a stolen assertion or a login CSRF
 * (Profiles §4.1.5 "Unsolicited Responses"; OWASP SAML Security Cheat Sheet, "Unsolicited Response (ie. IdP
 * Initiated SSO) Considerations for Service Providers") cannot sign anyone in by default;</li>
 * <li>refuses a replayed assertion: the ID of every accepted assertion is kept per connection until its
 * {@code NotOnOrAfter} (plus java-saml's allowed clock skew) has passed, and a second assertion with the same ID
 * is refused (Profiles §4.1.4.5: "the service provider MUST ensure that bearer assertions are not replayed, by
 * maintaining the set of used ID values for the length of time for which the assertion would be considered
 * valid").</li>
 * </ul>
 * The replay record is written only after every other check passed, so a forged assertion cannot plant IDs.
 */
@Service
final class SamlSignIns {

	/** How long a browser has to come back from the identity provider. */
	static final Duration REQUEST_TTL = Duration.ofMinutes(10);

	/** java-saml's allowed clock skew ({@code Constants.ALLOWED_CLOCK_DRIFT}, 180 s), kept in the replay window. */
	private static final Duration CLOCK_SKEW = Duration.ofSeconds(180);

	/** When an assertion names no NotOnOrAfter (java-saml requires one on the bearer confirmation anyway). */
	private static final Duration DEFAULT_ASSERTION_LIFETIME = Duration.ofMinutes(10);

	private final SamlConnections connections;

	private final SamlRepository repository;

	private final PlintoSettings settings;

	private final Clock clock;

	SamlSignIns(SamlConnections connections, SamlRepository repository, PlintoSettings settings, Clock clock) {
		this.connections = connections;
		this.repository = repository;
		this.settings = settings;
		this.clock = clock;
	}

	/** Where to send the browser, and the browser binding to keep in its cookie. */
	record Redirect(String location, String browserValue) {
	}

	/** A validated assertion, and where the browser was going when it started. */
	record Assertion(OrganizationConnection connection, String nameId, String nameIdFormat,
			Map<String, List<String>> attributes, String redirectUrl) {
	}

	/** The SP metadata of a connection (SAML 2.0 Metadata §2.4.4), with its signing certificate. */
	String metadata(String connectionId) throws SamlRefusal {
		OrganizationConnection connection = connections.find(connectionId);
		Saml2Settings sp = connections.serviceProvider(connection);
		try {
			// Valid as long as its signing certificate (java-saml's default would be two days, after which an
			// identity provider that honours validUntil would drop the connection); cached for a week at most.
			java.util.Calendar validUntil = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
			validUntil.setTime(sp.getSPcert().getNotAfter());
			return new Metadata(sp, validUntil, (int) Duration.ofDays(7).toSeconds()).getMetadataString();
		}
		catch (CertificateEncodingException e) {
			throw new IllegalStateException("the SP certificate could not be encoded", e);
		}
	}

	/**
	 * Starts an SP-initiated sign-in: stores the AuthnRequest's ID bound to the browser (its existing binding value
	 * when it has one, so sign-ins in two tabs both finish) and returns the identity provider's URL with the signed
	 * request.
	 */
	Redirect start(String connectionId, String redirectUrl, Optional<String> browserValue) throws SamlRefusal {
		OrganizationConnection connection = connections.find(connectionId);
		Saml2Settings saml = connections.settings(connection);
		Instant now = clock.instant();
		repository.purgeExpired(now);
		String browser = browserValue.filter(v -> v.length() >= 32 && v.length() <= 128).orElseGet(SecureTokens::newSecret);
		AuthnRequest request = new AuthnRequest(saml, new AuthnRequestParams(false, false, true));
		repository.insertRequest(new SamlRepository.PendingRequest(request.getId(), connection.id(), SecureTokens.hash(browser),
				redirectUrl, now, now.plus(REQUEST_TTL)));
		try {
			String encoded = request.getEncodedAuthnRequest(true);
			String signed = "SAMLRequest=" + Util.urlEncoder(encoded) + "&SigAlg="
					+ Util.urlEncoder(saml.getSignatureAlgorithm());
			String signature = Util.base64encoder(Util.sign(signed, saml.getSPkey(), saml.getSignatureAlgorithm()));
			String sso = saml.getIdpSingleSignOnServiceUrl().toString();
			return new Redirect(sso + (sso.contains("?") ? "&" : "?") + signed + "&Signature="
					+ Util.urlEncoder(signature), browser);
		}
		catch (IOException | GeneralSecurityException e) {
			throw new IllegalStateException("the AuthnRequest could not be signed", e);
		}
	}

	/**
	 * Validates a response posted to the connection's Assertion Consumer Service by the browser that carries
	 * {@code browserValue}; returns the assertion's subject and attributes.
	 */
	Assertion complete(String connectionId, String samlResponse, Optional<String> browserValue) throws SamlRefusal {
		OrganizationConnection connection = connections.find(connectionId);
		Saml2Settings saml = connections.settings(connection);
		Instant now = clock.instant();
		if (samlResponse == null || samlResponse.isBlank() || samlResponse.length() > 1_000_000) {
			throw new SamlRefusal(SamlRefusal.Reason.INVALID, "no SAMLResponse");
		}
		String inResponseTo = inResponseTo(samlResponse);
		String redirectUrl = null;
		if (inResponseTo == null) {
			if (!settings.saml().idpInitiated()) {
				throw new SamlRefusal(SamlRefusal.Reason.UNSOLICITED,
						"an unsolicited response while PLINTO_SAML_IDP_INITIATED is false");
			}
		}
		else {
			SamlRepository.PendingRequest pending = repository.consumeRequest(inResponseTo)
				.filter(p -> p.connectionId().equals(connection.id()))
				.filter(p -> p.expiresAt().isAfter(now))
				.orElseThrow(() -> new SamlRefusal(SamlRefusal.Reason.UNKNOWN_REQUEST,
						"InResponseTo names no pending request of this connection"));
			boolean sameBrowser = browserValue
				.map(v -> SecureTokens.constantTimeEquals(SecureTokens.hash(v), pending.browserHash()))
				.orElse(false);
			if (!sameBrowser) {
				throw new SamlRefusal(SamlRefusal.Reason.UNKNOWN_REQUEST,
						"the response arrived in another browser than the one that started the sign-in");
			}
			redirectUrl = pending.redirectUrl();
		}
		SamlResponse response;
		try {
			response = new SamlResponse(saml, connections.acsUrl(connection.id()), samlResponse);
		}
		catch (Exception e) {
			throw refusal(e);
		}
		if (!response.isValid(inResponseTo)) {
			throw refusal(response.getValidationException());
		}
		try {
			String assertionId = response.getAssertionId();
			Instant expires = response.getAssertionNotOnOrAfter()
				.stream()
				.map(i -> Instant.ofEpochMilli(i.getMillis()))
				.max(Instant::compareTo)
				.orElse(now.plus(DEFAULT_ASSERTION_LIFETIME))
				.plus(CLOCK_SKEW);
			if (assertionId == null || assertionId.isBlank()
					|| !repository.rememberAssertion(connection.id(), assertionId, expires)) {
				throw new SamlRefusal(SamlRefusal.Reason.REPLAYED, "assertion " + assertionId + " was already used");
			}
			return new Assertion(connection, response.getNameId(), response.getNameIdFormat(),
					Map.copyOf(response.getAttributes()), redirectUrl);
		}
		catch (SamlRefusal e) {
			throw e;
		}
		catch (Exception e) {
			throw refusal(e);
		}
	}

	/** The response's {@code InResponseTo}, or null when it has none (unsolicited); the XML is checked later. */
	private static String inResponseTo(String samlResponse) throws SamlRefusal {
		Document document;
		try {
			document = Util.loadXML(new String(Util.base64decoder(samlResponse), StandardCharsets.UTF_8));
		}
		catch (RuntimeException e) {
			document = null;
		}
		if (document == null || document.getDocumentElement() == null) {
			throw new SamlRefusal(SamlRefusal.Reason.INVALID, "the SAMLResponse is not base64 XML");
		}
		String value = document.getDocumentElement().getAttribute("InResponseTo");
		return value.isEmpty() ? null : value;
	}

	/** The refusal for java-saml's validation error: the category decides the sentence the browser sees. */
	private static SamlRefusal refusal(Exception e) {
		String detail = e == null ? "invalid" : e.getMessage();
		if (!(e instanceof ValidationError error)) {
			return new SamlRefusal(SamlRefusal.Reason.INVALID, detail);
		}
		SamlRefusal.Reason reason = switch (error.getErrorCode()) {
			case ValidationError.NO_SIGNED_ASSERTION, ValidationError.NO_SIGNATURE_FOUND,
					ValidationError.NO_SIGNED_MESSAGE, ValidationError.INVALID_SIGNATURE -> SamlRefusal.Reason.SIGNATURE;
			case ValidationError.WRONG_AUDIENCE, ValidationError.WRONG_DESTINATION, ValidationError.EMPTY_DESTINATION,
					ValidationError.WRONG_ISSUER -> SamlRefusal.Reason.AUDIENCE;
			case ValidationError.ASSERTION_EXPIRED, ValidationError.ASSERTION_TOO_EARLY,
					ValidationError.SESSION_EXPIRED, ValidationError.RESPONSE_EXPIRED -> SamlRefusal.Reason.EXPIRED;
			case ValidationError.STATUS_CODE_IS_NOT_SUCCESS -> SamlRefusal.Reason.IDP_STATUS;
			case ValidationError.WRONG_INRESPONSETO -> SamlRefusal.Reason.UNKNOWN_REQUEST;
			default -> SamlRefusal.Reason.INVALID;
		};
		return new SamlRefusal(reason, detail);
	}
}
