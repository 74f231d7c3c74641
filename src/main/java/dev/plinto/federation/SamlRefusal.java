package dev.plinto.federation;

/**
 * Why a SAML sign-in was refused: the reason decides the page's sentence (its message key) and status; the detail
 * is for the log only (java-saml's validation message, which names no secret), never shown to the browser.
 */
final class SamlRefusal extends Exception {

	enum Reason {

		/** The connection does not exist, is not a SAML connection, or is turned off. */
		UNKNOWN_CONNECTION("saml.error.connection", 404),
		/** The identity provider's metadata could not be fetched or read. */
		METADATA("saml.error.metadata", 502),
		/** The answer carries no valid signature of the registered identity provider. */
		SIGNATURE("saml.error.signature", 400),
		/** The answer names another audience, recipient or destination than this connection's. */
		AUDIENCE("saml.error.audience", 400),
		/** The assertion is outside its validity period. */
		EXPIRED("saml.error.expired", 400),
		/** The assertion was already used once. */
		REPLAYED("saml.error.replayed", 400),
		/** An answer no sign-in of Plinto asked for (IdP-initiated) while that is turned off. */
		UNSOLICITED("saml.error.unsolicited", 400),
		/** The answer's InResponseTo matches no pending request of this browser (expired, used, or another browser). */
		UNKNOWN_REQUEST("saml.error.request", 400),
		/** The identity provider reported a failure (e.g. the user cancelled). */
		IDP_STATUS("saml.error.status", 400),
		/** The assertion lacks the email the connection's attribute mapping names. */
		ATTRIBUTES("saml.error.attributes", 400),
		/** Anything else: malformed XML, several assertions, signature wrapping, an unexpected element. */
		INVALID("saml.error.invalid", 400);

		private final String messageKey;

		private final int status;

		Reason(String messageKey, int status) {
			this.messageKey = messageKey;
			this.status = status;
		}

		String messageKey() {
			return messageKey;
		}

		int status() {
			return status;
		}
	}

	private final Reason reason;

	SamlRefusal(Reason reason, String detail) {
		super(detail, null, false, false);
		this.reason = reason;
	}

	Reason reason() {
		return reason;
	}
}
