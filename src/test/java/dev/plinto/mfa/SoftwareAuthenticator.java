package dev.plinto.mfa;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A software passkey authenticator and browser for tests: makes an ES256 discoverable credential from creation
 * options and answers request options with signed assertions, producing the JSON a browser's
 * {@code PublicKeyCredential.toJSON()} returns. Knobs let a test send a wrong origin, RP id or counter.
 * (webauthn4j's own test authenticator, webauthn4j-test, does not resolve from the Maven mirror here.)
 */
public final class SoftwareAuthenticator {

	private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

	private final KeyPair keys;

	private final byte[] credentialId = new byte[32];

	private byte[] userHandle;

	private long counter;

	String origin;

	String rpIdOverride;

	/** Whether the credential is a synced passkey: backup eligible and backed up (flags BE and BS). */
	boolean synced;

	public SoftwareAuthenticator(String origin) {
		this.origin = origin;
		new SecureRandom().nextBytes(credentialId);
		userHandle = new byte[16];
		new SecureRandom().nextBytes(userHandle);
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			this.keys = generator.generateKeyPair();
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	String credentialId() {
		return B64URL.encodeToString(credentialId);
	}

	/** Sets the signature counter the next assertion starts from. */
	void counter(long value) {
		counter = value;
	}

	/** Creates the credential for {@code PublicKeyCredentialCreationOptionsJSON}; returns RegistrationResponseJSON. */
	public Map<String, Object> create(JsonNode options) {
		String rpId = rpIdOverride != null ? rpIdOverride : options.get("rp").get("id").asString();
		userHandle = B64URL_DECODER.decode(options.get("user").get("id").asString());
		byte[] clientData = clientData("webauthn.create", options.get("challenge").asString());
		AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, credentialId,
				EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
		AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(sha256(rpId),
				(byte) (synced ? 0x5D : 0x45), counter, attested);
		byte[] attestationObject = new AttestationObjectConverter(new ObjectConverter())
			.convertToBytes(new AttestationObject(data, new NoneAttestationStatement()));
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("clientDataJSON", B64URL.encodeToString(clientData));
		response.put("attestationObject", B64URL.encodeToString(attestationObject));
		response.put("transports", List.of("internal"));
		return credential(response);
	}

	/** Answers {@code PublicKeyCredentialRequestOptionsJSON}; returns AuthenticationResponseJSON. */
	public Map<String, Object> get(JsonNode options) {
		String rpId = rpIdOverride != null ? rpIdOverride : options.get("rpId").asString();
		byte[] clientData = clientData("webauthn.get", options.get("challenge").asString());
		counter++;
		// authenticatorData: rpIdHash (32) | flags UP+UV, and BE+BS when synced (1) | signCount (4), WebAuthn §6.1
		byte[] authenticatorData = ByteBuffer.allocate(37).put(sha256(rpId)).put((byte) (synced ? 0x1D : 0x05))
			.putInt((int) counter)
			.array();
		ByteArrayOutputStream signed = new ByteArrayOutputStream();
		signed.writeBytes(authenticatorData);
		signed.writeBytes(sha256(clientData));
		byte[] signature;
		try {
			Signature ecdsa = Signature.getInstance("SHA256withECDSA");
			ecdsa.initSign(keys.getPrivate());
			ecdsa.update(signed.toByteArray());
			signature = ecdsa.sign();
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("clientDataJSON", B64URL.encodeToString(clientData));
		response.put("authenticatorData", B64URL.encodeToString(authenticatorData));
		response.put("signature", B64URL.encodeToString(signature));
		response.put("userHandle", B64URL.encodeToString(userHandle));
		return credential(response);
	}

	private Map<String, Object> credential(Map<String, Object> response) {
		Map<String, Object> credential = new LinkedHashMap<>();
		credential.put("id", credentialId());
		credential.put("rawId", credentialId());
		credential.put("type", "public-key");
		credential.put("authenticatorAttachment", "platform");
		credential.put("response", response);
		credential.put("clientExtensionResults", Map.of());
		return credential;
	}

	private byte[] clientData(String type, String challenge) {
		return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
				+ "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	private static byte[] sha256(String text) {
		return sha256(text.getBytes(StandardCharsets.UTF_8));
	}
}
