package dev.plinto.mfa;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * WebAuthn options in the JSON form of WebAuthn Level 3 ({@code PublicKeyCredentialCreationOptionsJSON},
 * {@code PublicKeyCredentialRequestOptionsJSON}): binary values as base64url strings, member names in camelCase
 * as the specification spells them, so a browser passes them straight to
 * {@code PublicKeyCredential.parseCreationOptionsFromJSON} / {@code parseRequestOptionsFromJSON}.
 */
public final class WebAuthnJson {

	private WebAuthnJson() {
	}

	public record RelyingParty(@JsonProperty("id") String id, @JsonProperty("name") String name) {
	}

	public record UserEntity(@Schema(description = "User handle, base64url") @JsonProperty("id") String id,
			@JsonProperty("name") String name, @JsonProperty("displayName") String displayName) {
	}

	public record CredentialParameter(@JsonProperty("type") String type,
			@Schema(description = "COSE algorithm: -7 ES256, -8 EdDSA, -257 RS256") @JsonProperty("alg") long alg) {
	}

	public record CredentialDescriptor(@JsonProperty("type") String type,
			@Schema(description = "Credential id, base64url") @JsonProperty("id") String id,
			@JsonProperty("transports") List<String> transports) {
	}

	public record AuthenticatorSelection(@JsonProperty("residentKey") String residentKey,
			@JsonProperty("requireResidentKey") boolean requireResidentKey,
			@JsonProperty("userVerification") String userVerification) {
	}

	@Schema(description = "PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3 §5.1.8)")
	public record CreationOptions(@JsonProperty("rp") RelyingParty rp, @JsonProperty("user") UserEntity user,
			@Schema(description = "Single-use challenge, base64url") @JsonProperty("challenge") String challenge,
			@JsonProperty("pubKeyCredParams") List<CredentialParameter> pubKeyCredParams,
			@Schema(description = "Milliseconds") @JsonProperty("timeout") long timeout,
			@JsonProperty("excludeCredentials") List<CredentialDescriptor> excludeCredentials,
			@JsonProperty("authenticatorSelection") AuthenticatorSelection authenticatorSelection,
			@JsonProperty("attestation") String attestation) {
	}

	@Schema(description = "PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3 §5.1.8)")
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record RequestOptions(
			@Schema(description = "Single-use challenge, base64url") @JsonProperty("challenge") String challenge,
			@Schema(description = "Milliseconds") @JsonProperty("timeout") long timeout,
			@JsonProperty("rpId") String rpId,
			@Schema(description = "Empty for a discoverable (username-less) sign-in")
			@JsonProperty("allowCredentials") List<CredentialDescriptor> allowCredentials,
			@JsonProperty("userVerification") String userVerification) {
	}

	/** The browser's {@code PublicKeyCredential.toJSON()} of a registration or an assertion. */
	@Schema(type = "object", description = "PublicKeyCredential.toJSON() output (RegistrationResponseJSON or "
			+ "AuthenticationResponseJSON, WebAuthn Level 3 §5.1): id, rawId, type, response {clientDataJSON, "
			+ "attestationObject, transports | authenticatorData, signature, userHandle}, base64url strings",
			example = "{\"id\":\"…\",\"rawId\":\"…\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"…\","
					+ "\"authenticatorData\":\"…\",\"signature\":\"…\",\"userHandle\":\"…\"},"
					+ "\"clientExtensionResults\":{}}")
	public interface Credential {
	}
}
