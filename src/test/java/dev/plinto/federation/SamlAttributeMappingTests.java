package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attribute mapping of a SAML connection, without a server. */
class SamlAttributeMappingTests {

	private static final String EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

	private static final String PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

	@Test
	void applyWhenMappedThenEmailNameGroupsAndTheRoleOfTheFirstMappedGroup() throws SamlRefusal {
		SamlAttributeMapping mapping = SamlAttributeMapping.parse("""
				{"email": "mailbox", "name": "fullName", "groups": "teams",
				 "roles": {"billing": "member", "plinto-admins": "admin"}}""");

		SamlAttributeMapping.Profile profile = mapping.apply("u-123", PERSISTENT,
				Map.of("mailbox", List.of("ada@acme.example"), "fullName", List.of("Ada Lovelace"), "teams",
						List.of("plinto-admins", "billing"), "email", List.of("other@acme.example")));

		assertThat(profile.email()).isEqualTo("ada@acme.example");
		assertThat(profile.name()).isEqualTo("Ada Lovelace");
		assertThat(profile.groups()).containsExactly("plinto-admins", "billing");
		// The first of the user's groups that the mapping names decides, as for OpenID Connect connections.
		assertThat(profile.role()).hasValue("admin");
	}

	@Test
	void applyWhenNotMappedThenCommonAttributeNamesOfEntraId() throws SamlRefusal {
		SamlAttributeMapping.Profile profile = SamlAttributeMapping.parse("{}")
			.apply("a1b2", PERSISTENT, Map.of(
					"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", List.of("ada@acme.example"),
					"http://schemas.microsoft.com/identity/claims/displayname", List.of("Ada Lovelace"),
					"http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", List.of("0c1d")));

		assertThat(profile.email()).isEqualTo("ada@acme.example");
		assertThat(profile.name()).isEqualTo("Ada Lovelace");
		assertThat(profile.groups()).containsExactly("0c1d");
		assertThat(profile.role()).isEmpty();
	}

	@Test
	void applyWhenNoEmailAttributeThenTheEmailNameIdOrRefused() throws SamlRefusal {
		SamlAttributeMapping mapping = SamlAttributeMapping.parse(null);

		assertThat(mapping.apply("ada@acme.example", EMAIL_FORMAT, Map.of()).email()).isEqualTo("ada@acme.example");
		assertThatThrownBy(() -> mapping.apply("ada@acme.example", PERSISTENT, Map.of()))
			.isInstanceOfSatisfying(SamlRefusal.class,
					e -> assertThat(e.reason()).isEqualTo(SamlRefusal.Reason.ATTRIBUTES));
	}

	@Test
	void parseWhenNotJsonThenCommonNamesOnly() throws SamlRefusal {
		assertThat(SamlAttributeMapping.parse("not json").apply("x", PERSISTENT,
				Map.of("mail", List.of("ada@acme.example"))).email()).isEqualTo("ada@acme.example");
	}
}
