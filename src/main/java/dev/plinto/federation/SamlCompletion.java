package dev.plinto.federation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;

@Component
final class SamlCompletion {

	void complete(SamlSignIns.Assertion assertion, HttpServletRequest request, HttpServletResponse response)
			throws SamlRefusal, IOException {
		SamlAttributeMapping.Profile profile = SamlAttributeMapping.parse(assertion.connection().attributeMapping())
			.apply(assertion.nameId(), assertion.nameIdFormat(), assertion.attributes());
		throw new IllegalStateException("completion core not merged yet " + profile.role());
	}
}
